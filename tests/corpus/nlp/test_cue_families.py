"""Each cue family on sentences written for these tests (fictional places and
people), in the wordings real reports use: inflections, capitals, headlines,
synonyms. Runs the real model plus Glossa's cue component."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.spacy


def cues(nlp, text):
    from corpus.nlp.components import CUES_KEY

    doc = nlp(text)
    return {(s.text, s.label_) for s in doc.spans[CUES_KEY]}


def labels(nlp, text):
    return {label for _, label in cues(nlp, text)}


@pytest.mark.parametrize(
    "text",
    [
        "Investigators said the shelling of Varn may amount to war crimes.",
        "The report describes crimes against humanity in the northern hills.",
        "The raids violated international humanitarian law, the panel found.",
        "Lawyers called the deaths extrajudicial executions.",
        "Activists say the men died in fake encounters staged by the unit.",
        "The blockade amounts to collective punishment of the islanders.",
        "Troops used disproportionate force against the marchers.",
        "The inquest ruled it an unlawful killing.",
        "Witnesses described summary executions at the checkpoint.",
        "The jets carried out indiscriminate attacks on the valley.",
        "The militia shelled homes indiscriminately for a week.",
        "The commission documented grave violations by the border guard.",
        "The brigade deliberately targeted civilians in the square.",
        "The army failed to take all feasible precautions before the strike.",
        "EXTRAJUDICIAL KILLINGS RISE IN PORT SELM",
    ],
)
def test_illegality_vocabulary(nlp, text):
    assert "legal_illegal" in labels(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The coast guard seized boats used for illegal fishing.",
        "The monitors said the strike was not unlawful.",
        "The panel urged accountability for any breaches of the law.",
        "An extrajudicial killing is the killing of a person without a trial.",
        "A report by Watchers for Rights and Monitoring Violations came out today.",
    ],
)
def test_no_illegality_finding(nlp, text):
    assert "legal_illegal" not in labels(nlp, text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Three Terrorists Killed In Dawn Raid", "Terrorists"),
        ("The ministry said the strike was an act of self-defence.", "self-defence"),
        (
            "We adhere strictly to the Law of Armed Conflict in every strike.",
            "Law of Armed",
        ),
        ("The drone hit an imminent threat to the base.", "imminent threat"),
        ("Troops conducted counter-terrorism operations in the hills.", None),
        ("The dead were enemy combatants, the colonel said.", "combatants"),
        ("He was a member of a banned militant organisation.", None),
        ("The army said it takes every feasible measure to spare civilians.", None),
    ],
)
def test_official_legal_framing(nlp, text, words):
    found = cues(nlp, text)
    assert any(label == "legal_official" for _, label in found)
    if words:
        assert (words, "legal_official") in found


@pytest.mark.parametrize(
    "text",
    [
        "Police said the suspect died in a gunfight near the river.",
        "Two men were killed in crossfire, the police said.",
        "The officers were killed in an exchange of fire, police said.",
        "Police said the men opened fire first and officers fired back.",
        "The suspect tried to flee and attacked the officers, police said.",
    ],
)
def test_police_accounts_of_lethal_force(nlp, text):
    assert "official_account" in labels(nlp, text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("The minister alleges that the boat carried weapons.", "alleges"),
        ("The army is alleging that the crew were armed.", "alleging"),
        ("The ALLEGED smugglers were never named.", "ALLEGED"),
        ("The men were reported to have been armed.", None),
        ("What police are calling a 'routine stop' ended in a death.", None),
        ("Rights Groups Question \u2018Crossfire\u2019 Deaths In Varn", None),
    ],
)
def test_hedges_in_every_form(nlp, text, word):
    found = cues(nlp, text)
    assert any(label == "hedge" for _, label in found)
    if word:
        assert (word, "hedge") in found


@pytest.mark.parametrize(
    "text",
    [
        "The ministry rejected the report as fabricated.",
        "The general dismissed the account as propaganda.",
        "Officials called the claims baseless and untrue.",
        "The findings fly in the face of the army's claim.",
        "The governor said the allegation was simply not credible.",
        "Reporters debunked the navy's account within a day.",
        "The dead were not fighters but farmers from the valley.",
        "The spokesman dismissed the reports as disinformation.",
    ],
)
def test_rebuttal_vocabulary(nlp, text):
    assert "denial" in labels(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The minister said police were not responsible for the deaths.",
        '"Our forces did not target any civilians," the colonel said.',
        "The army had no units in the town that day, a spokesman said.",
        "The navy said it was not involved in the sinking.",
    ],
)
def test_counter_statements_by_a_party(nlp, text):
    assert "counter_denial" in labels(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The army will continue to deny the rebels any safe haven.",
        "The province lies along the northern border.",
        "The council rejected calls for an inquiry.",
    ],
)
def test_no_denial(nlp, text):
    assert not labels(nlp, text) & {"denial", "counter_denial"}


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The ministry declined to comment.", "refusal"),
        ("The navy declined repeatedly to answer questions.", "refusal"),
        ("The police did not respond to a request for comment.", "refusal"),
        ("A spokesman would not say how many were aboard.", "refusal"),
        ("Neither army made any comment on Tuesday.", "refusal"),
        ("The dead man has not been publicly identified.", "refusal"),
        ("The army did not specify where the strike hit.", "no_details"),
        ("The circumstances have yet to be disclosed.", "no_details"),
        ("The inquiry's report remains classified.", "no_details"),
        ("The ministry has yet to provide evidence.", "no_evidence"),
        ("The officials offered no proof that the crew was armed.", "no_evidence"),
        ("Monitors saw no sign that the school was used by fighters.", "no_evidence"),
    ],
)
def test_refusals_and_missing_evidence(nlp, text, label):
    assert label in labels(nlp, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We would be saddened by any loss of life," the colonel said.', True),
        ("The ministry said it was considering compensation.", True),
        ("It is unclear what happened, the army said.", True),
        ("The army said it killed six fighters.", False),
        (
            "The army said the raid would have been called off if children were seen.",
            True,
        ),
    ],
)
def test_statements_that_assert_no_fact(nlp, text, expected):
    assert ("non_assertion" in labels(nlp, text)) is expected


def test_rescue_words_and_what_is_not_a_rescue(nlp):
    assert "rescue" in labels(nlp, "The coast guard sent a distress call to the fleet.")
    assert "rescue" not in labels(nlp, "The man appeared to be in medical distress.")
