"""Writes to a project's registry of social-media accounts, with history.

A registered account decides whose claim its posts' own text is (see
``corpus.analysis.social_voice``), so every change is recorded (who, when,
before and after) and the account's posts are queued for analysis again:
their context changed, so the analysis is no longer current.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from audit.services import history_record, snapshot
from corpus.jobs import queue_analysis
from corpus.models import Document, SocialAccount, SocialPost, normalise_handle
from projects.errors import ApplicationError
from projects.models import Project

EDITABLE = ("platform", "handle", "claimant", "claimant_type", "notes")


def _reanalyse(project: Project, user: Any, keys: set[tuple[str, str]]) -> None:
    """Queue the posts of these (platform, handle) pairs for analysis."""
    ids: set[int] = set()
    for platform, handle in keys:
        ids.update(
            SocialPost.objects.filter(
                project=project, platform=platform, handle__iexact=handle
            ).values_list("document_id", flat=True)
        )
    if ids:
        documents = list(Document.objects.filter(pk__in=ids).only("pk"))
        queue_analysis(project=project, documents=documents, user=user)


def _save(account: SocialAccount) -> None:
    account.handle = normalise_handle(account.handle)
    account.claimant = account.claimant.strip()
    account.full_clean(exclude=["project"])
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as exc:
        raise ApplicationError(
            f"The account {account.handle} on {account.get_platform_display()} "
            "is already registered in this project."
        ) from exc


@transaction.atomic
def social_account_create(
    *, project: Project, user: Any, **values: Any
) -> SocialAccount:
    """Register an account (``values``: platform, handle, claimant,
    claimant_type, notes)."""
    account = SocialAccount(project=project, **{k: values.get(k, "") for k in EDITABLE})
    _save(account)
    history_record(
        project=project,
        actor=user,
        obj=account,
        action="create",
        after=snapshot(account),
    )
    _reanalyse(project, user, {(account.platform, account.handle)})
    return account


@transaction.atomic
def social_account_update(
    *, account: SocialAccount, user: Any, **values: Any
) -> SocialAccount:
    """Change an account; its posts (under the old and new handle) are
    analysed again."""
    account = SocialAccount.objects.select_for_update().get(pk=account.pk)
    before = snapshot(account)
    old_key = (account.platform, account.handle)
    for key in EDITABLE:
        if key in values:
            setattr(account, key, values[key])
    _save(account)
    after = snapshot(account)
    if after != before:
        history_record(
            project=account.project,
            actor=user,
            obj=account,
            action="update",
            before=before,
            after=after,
        )
        _reanalyse(account.project, user, {old_key, (account.platform, account.handle)})
    return account


@transaction.atomic
def social_account_delete(*, account: SocialAccount, user: Any) -> None:
    """Remove an account from the registry; its posts speak as unregistered."""
    before = snapshot(account)
    pk = account.pk
    key = (account.platform, account.handle)
    project = account.project
    account.delete()
    history_record(
        project=project,
        actor=user,
        obj=account,
        action="delete",
        before=before,
        object_id=pk,
    )
    _reanalyse(project, user, {key})
