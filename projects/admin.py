"""Admin pages of projects.

A project added here is made by ``project_create`` like one made on the
"New project" page: the admin user becomes owner and the default tags and
framework are loaded. Memberships edited inline go through the membership
services, so the last owner is protected here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from projects.models import Membership, Project
from projects.services import (
    membership_remove,
    membership_set,
    project_create,
    project_update,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "blind_mode", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "acting_states", "blind_mode"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: Any, obj: Project | None = None) -> Any:
        # URLs, exports and archives cite the slug: fixed once made.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(
        self, request: Any, obj: Project | None = None
    ) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def save_model(self, request: Any, obj: Project, form: Any, change: bool) -> None:
        if change:
            project_update(
                project=obj,
                actor=request.user,
                name=obj.name,
                description=obj.description,
                blind_mode=obj.blind_mode,
                acting_states=obj.acting_states or [],
            )
            return
        created = project_create(
            name=obj.name,
            slug=obj.slug,
            description=obj.description,
            acting_states=obj.acting_states or [],
            blind_mode=obj.blind_mode,
            created_by=request.user,
        )
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj.created_by = created.created_by
        obj.acting_states = created.acting_states

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        memberships = formset.save(commit=False)
        for gone in formset.deleted_objects:
            membership_remove(project=gone.project, user=gone.user, actor=request.user)
        for membership in memberships:
            membership_set(
                project=form.instance,
                user=membership.user,
                role=membership.role,
                actor=request.user,
            )
