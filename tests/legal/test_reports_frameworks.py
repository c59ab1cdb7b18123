"""Evidence briefs (HTML and PDF read back with pypdf) and framework
import/export with clear errors."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from pypdf import PdfReader

from audit.models import HistoryEntry
from legal.defaults import default_framework
from legal.framework_format import framework_dump, framework_parse, framework_validate
from legal.models import Criterion, Element, Framework
from legal.reports import brief_html, brief_pdf
from legal.services.assessments import assessment_create
from legal.services.claims import claim_create, claim_quantity_add
from legal.services.frameworks import framework_import

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def briefed(project, analyst, mentions):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="14 people were killed on four vessels",
        claimant="Arlen Vost",
        claimant_type="acting_government",
        evidence_status="not_provided",
        note="Repeated by the wire the next day.",
        annotation=mentions["minister"],
    )
    claim_quantity_add(
        claim=claim,
        user=analyst,
        value=14,
        counts="killed",
        annotation=mentions["wire"],
    )
    element = Element.objects.filter(
        criterion__framework__project=project, question__icontains="imminent"
    ).first()
    assessment_create(
        claim=claim,
        user=analyst,
        element=element,
        finding="undermines",
        rationale="The ministry gave no evidence of any threat to life.",
        sources=[mentions["no_evidence"]],
    )
    return claim, element


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_brief_holds_quotes_hashes_assessments_and_author(
    project, analyst, briefed, docs, mentions
):
    data = brief_pdf(project=project, user=analyst)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert " ".join(mentions["minister"].quote.split()) in text
    assert " ".join(mentions["wire"].quote.split()) in text
    # Hashes may wrap; compare with spaces removed.
    compact = text.replace(" ", "")
    assert docs["statement"].sha256 in compact
    assert docs["wire"].sha256 in compact
    assert "The ministry gave no evidence of any threat to life." in text
    assert "Undermines" in text
    assert "by analyst" in text
    assert "Page 1 of" in text
    assert "Annotations per tag" in text


def test_brief_per_criterion_limits_claims(project, analyst, briefed):
    claim, element = briefed
    claim_create(project=project, user=analyst, proposition="Unassessed other claim")
    html = brief_html(project=project, user=analyst, criterion=element.criterion)
    assert claim.proposition in html
    assert "Unassessed other claim" not in html
    other = element.criterion.framework.criteria.exclude(
        pk=element.criterion_id
    ).first()
    html = brief_html(project=project, user=analyst, criterion=other)
    assert claim.proposition not in html


def test_brief_escapes_hostile_text(project, analyst, mentions):
    claim_create(
        project=project,
        user=analyst,
        proposition='<img src="http://evil.example/x.png"> injected',
        annotation=mentions["minister"],
    )
    html = brief_html(project=project, user=analyst)
    assert '<img src="http://evil.example' not in html
    assert "&lt;img src=&quot;http://evil.example/x.png&quot;&gt; injected" in html
    assert brief_pdf(project=project, user=analyst).startswith(b"%PDF")


def test_report_pages_and_downloads(client, project, viewer, briefed, outsider):
    client.force_login(viewer)
    page = client.get(f"/p/{project.slug}/reports/")
    assert page.status_code == 200 and "brief.pdf" in page.text
    pdf = client.get(f"/p/{project.slug}/reports/brief.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF")
    html = client.get(f"/p/{project.slug}/reports/brief.html")
    assert "Generated at" in html.text and "by viewer" in html.text
    assert (
        client.get(f"/p/{project.slug}/reports/brief.pdf?criterion=x").status_code
        == 404
    )
    client.force_login(outsider)
    assert client.get(f"/p/{project.slug}/reports/brief.pdf").status_code == 404


# --- Frameworks -----------------------------------------------------------------


def test_yaml_round_trip_of_the_default_framework(project, owner):
    framework = Framework.objects.get(project=project, key="glossa-default")
    dumped = framework_dump(framework)
    text = yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True)
    parsed = framework_parse(text)
    assert parsed == dumped
    assert framework_validate(parsed) == []
    preview, _ = framework_import(
        project=project, user=owner, data=parsed, dry_run=True
    )
    assert preview.changes == 0
    assert len(dumped["criteria"]) == len(default_framework()["criteria"])
    # JSON too.
    assert framework_parse(json.dumps(dumped), name="f.json") == dumped


def test_import_preview_then_apply_with_history(project, owner):
    data = framework_dump(Framework.objects.get(project=project))
    data["criteria"][0]["elements"][0]["question"] = "A reworded question?"
    data["criteria"][0]["elements"].append(
        {"key": "E9", "question": "A new question?", "tags": ["made_up_tag"]}
    )
    preview, framework = framework_import(
        project=project, user=owner, data=data, dry_run=True
    )
    assert framework is None
    assert len(preview.elements_changed) == 1 and len(preview.elements_new) == 1
    assert preview.unknown_tags == ["made_up_tag"]
    assert not Element.objects.filter(question="A new question?").exists()
    preview, framework = framework_import(project=project, user=owner, data=data)
    assert Element.objects.filter(question="A new question?").exists()
    assert framework is not None
    entry = HistoryEntry.objects.get(object_type="framework", object_id=framework.pk)
    assert entry.action == "update"
    assert entry.before is not None and entry.after is not None
    assert entry.before["criteria"][0]["elements"][0]["question"] != (
        "A reworded question?"
    )
    assert entry.after["criteria"][0]["elements"][0]["question"] == (
        "A reworded question?"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key: x\ncriteria: [", "not valid YAML or JSON at line"),
        ("- just\n- a list", "must hold one framework"),
        ("key: Bad Key\nname: n\ncriteria: []", "'criteria' must be a non-empty list"),
    ],
)
def test_bad_files_give_clear_errors(text, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        data = framework_parse(text)
        problems = framework_validate(data)
        if problems:
            raise ValidationError(problems)
    assert message in " ".join(caught.value.messages)


def test_validation_lists_every_problem_with_its_place():
    problems = framework_validate(
        {
            "key": "ok",
            "name": "N",
            "criteria": [
                {"key": "a", "code": "A1", "title": "T", "instrument": "I",
                 "paraphrase": "P", "elements": [{"key": "E1"}, {"key": "E1",
                 "question": "Q", "tags": "oops"}]},
                {"key": "a", "code": "A1", "title": "", "instrument": "I",
                 "paraphrase": "P"},
            ],
        }
    )  # fmt: skip
    joined = "\n".join(problems)
    assert "criterion 1 (a), element 1: 'question' is missing." in joined
    assert "criterion 1 (a), element 2: the key 'E1' is used twice." in joined
    assert "element 2: 'tags' must be a list of tag keys." in joined
    assert "criterion 2 (a): the key 'a' is used twice." in joined
    assert "criterion 2 (a): the code 'A1' is used twice." in joined
    assert "criterion 2 (a): 'title' is missing." in joined


def _first_criterion(framework: Framework) -> Criterion:
    criterion = framework.criteria.first()
    assert criterion is not None
    return criterion


def test_framework_pages(client, project, owner, analyst):
    framework = Framework.objects.get(project=project)
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/framework/")
    assert page.status_code == 200 and "Import a framework" not in page.text
    assert client.post(f"/p/{project.slug}/framework/import/").status_code == 403
    exported = client.get(f"/p/{project.slug}/framework/{framework.pk}/export/")
    assert yaml.safe_load(exported.content)["key"] == "glossa-default"

    client.force_login(owner)
    bad = client.post(f"/p/{project.slug}/framework/import/", {"text": "key: [x"})
    assert bad.status_code == 400 and "not imported" in bad.text
    data = framework_dump(framework)
    data["criteria"][0]["title"] = "Renamed rule"
    text = yaml.safe_dump(data)
    preview = client.post(
        f"/p/{project.slug}/framework/import/", {"text": text, "action": "preview"}
    )
    assert "1 change" in preview.text and "Renamed rule" in preview.text
    framework.refresh_from_db()
    assert _first_criterion(framework).title != "Renamed rule"
    done = client.post(
        f"/p/{project.slug}/framework/import/", {"text": text, "action": "import"}
    )
    assert done.status_code == 302
    assert _first_criterion(framework).title == "Renamed rule"

    element = _first_criterion(framework).elements.first()
    assert element is not None
    client.post(
        f"/p/{project.slug}/framework/edit/",
        {"what": "element", "pk": element.pk, "question": "Edited?", "tags": "a, b"},
    )
    element.refresh_from_db()
    assert (element.question, element.tags) == ("Edited?", ["a", "b"])
    assert HistoryEntry.objects.filter(object_type="element", action="update").exists()


def test_export_brief_command(project, analyst, briefed, tmp_path, outsider):
    from django.core.management import CommandError, call_command

    out = tmp_path / "brief.pdf"
    call_command("export_brief", project.slug, user="analyst", out=str(out))
    assert "14 people were killed" in _pdf_text(out.read_bytes())
    with pytest.raises(CommandError, match="not a member"):
        call_command("export_brief", project.slug, user="outsider", out=str(out))
    with pytest.raises(CommandError, match="must end in"):
        call_command("export_brief", project.slug, user="analyst", out="x.txt")
