"""Admin page of invitations: read-only (owners invite from the members page,
where the service checks their role and sends the mail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from accounts.models import ProjectInvitation

# django-invitations registers its add form for the configured model; that
# form knows nothing of projects and roles, so Glossa's own list replaces it.
if admin.site.is_registered(ProjectInvitation):
    admin.site.unregister(ProjectInvitation)


@admin.register(ProjectInvitation)
class ProjectInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "project", "role", "sent", "accepted"]
    list_filter = ["accepted", "role"]
    search_fields = ["email", "project__name"]
    exclude = ["key"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
