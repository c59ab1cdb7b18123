"""Management commands and deployment settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from annotations.models import Suggestion
from corpus.models import Document
from projects.models import Project

ROOT = Path(__file__).resolve().parents[2]


def test_load_demo_creates_user_project_and_samples_idempotently(
    db, media_root, capsys
):
    call_command("load_demo", username="demo", password="a-long-demo-password")
    call_command("load_demo", username="demo", password="a-long-demo-password")
    project = Project.objects.get(slug="strikes-at-sea-demo")
    assert project.memberships.get(user__username="demo").role == "owner"
    assert Document.objects.filter(project=project).count() == 2
    kinds = set(Document.objects.values_list("kind", flat=True))
    assert kinds == {"article", "statement"}
    assert project.tags.exists()
    # The samples are analysed, so the demo opens with suggestions.
    assert {d.analysis_status for d in Document.objects.filter(project=project)} == {
        "done"
    }
    report = Document.objects.get(project=project, kind="article")
    tags = set(
        Suggestion.objects.filter(document=report).values_list("tag__key", flat=True)
    )
    assert {"no_evidence_provided", "experts_say_illegal", "casualty_figure"} <= tags
    out = capsys.readouterr().out
    assert "demo" in out and "a-long-demo-password" in out


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="x7#kP2$vQ9!mW4&zL8^rT1*yB6@nH3%cF5(jD0)sG-eA+uV_oI=" * 2,
        ALLOWED_HOSTS="glossa.example.org",
        DJANGO_SETTINGS_MODULE="glossa.settings",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    # Without collected static files check --deploy fails (glossa.E010).
    missing = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode != 0
    assert "glossa.E010" in missing.stderr + missing.stdout
    # What collectstatic leaves (its manifest), without its minutes of compression.
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text(
        '{"paths": {}, "version": "1.1", "hash": ""}'
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="glossa.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
