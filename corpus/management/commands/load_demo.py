"""Create the demo user and project and load the sample documents.

Idempotent: run it as often as you like (``make run`` does every time).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from corpus.analysis import analyse_documents
from corpus.models import DocumentKind, Source, SourceKind
from corpus.services import DuplicateDocument, document_create
from projects.models import Project, Role
from projects.services import membership_set, project_create

SAMPLES: list[dict[str, Any]] = [
    {
        "file": "report-strikes-at-sea.txt",
        "kind": DocumentKind.ARTICLE,
        "title": "Naval strikes kill 11 on three boats, minister says",
        "source": ("Meridian Wire", SourceKind.WIRE),
        "published_at": datetime(2025, 3, 4, 18, 0, tzinfo=UTC),
        "author": "Meridian Wire staff",
    },
    {
        "file": "statement-ministry-of-defence.txt",
        "kind": DocumentKind.STATEMENT,
        "title": "Statement by the Minister of Defence of the Republic of Veridia",
        "source": ("Ministry of Defence of Veridia", SourceKind.GOVERNMENT),
        "published_at": datetime(2025, 3, 4, 12, 0, tzinfo=UTC),
        "author": "Tomas Relk",
        "speaker_role": "Minister of Defence",
        "platform": "Press statement",
    },
]


class Command(BaseCommand):
    help = "Create the demo user and project, and load the sample documents."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--username", default=os.environ.get("GLOSSA_DEMO_USER", "demo")
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("GLOSSA_DEMO_PASSWORD", "glossa-demo-2025"),
        )
        parser.add_argument(
            "--url",
            default=os.environ.get("GLOSSA_URL", "http://127.0.0.1:8000/"),
            help="Where the server will listen (make run passes its HOST and PORT).",
        )

    @transaction.atomic
    def handle(self, *args, username: str, password: str, url: str, **options) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = True
            user.save()
        project = Project.objects.filter(slug="strikes-at-sea-demo").first()
        if project is None:
            project = project_create(
                name="Strikes at sea (demo)",
                slug="strikes-at-sea-demo",
                description="Fictional sample case: lethal strikes on boats at sea.",
                created_by=user,
            )
        membership_set(project=project, user=user, role=Role.OWNER)
        samples_dir = Path(settings.BASE_DIR) / "samples"
        loaded = 0
        for sample in SAMPLES:
            raw = (samples_dir / sample["file"]).read_bytes()
            source_name, source_kind = sample["source"]
            source, _ = Source.objects.get_or_create(
                project=project, name=source_name, defaults={"kind": source_kind}
            )
            try:
                document_create(
                    project=project,
                    original=raw,
                    text=raw.decode("utf-8"),
                    original_name=sample["file"],
                    media_type="text/plain",
                    captured_by=user,
                    extractor="sample",
                    extractor_version="1",
                    source=source,
                    kind=sample["kind"],
                    title=sample["title"],
                    author=sample["author"],
                    speaker_role=sample.get("speaker_role", ""),
                    platform=sample.get("platform", ""),
                    published_at=sample["published_at"],
                )
                loaded += 1
            except DuplicateDocument:
                pass
        # Analyse now (idempotent) so the demo opens with suggestions.
        pending = project.documents.values_list("pk", flat=True)
        analysed = analyse_documents(list(pending))
        note = "" if created else " (unless you changed it since)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo project '{project.name}': {loaded} new sample documents, "
                f"{analysed} analysed.\n"
                f"Log in at {url} with username {username!r} "
                f"and password {password!r}{note}."
            )
        )
