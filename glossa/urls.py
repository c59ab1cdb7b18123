"""Root URLs: each app mounts its own; the API lives under /api/."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Staff sign in through Glossa's own login (throttled, with the 2FA step),
# never through the admin's password-only form.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

# Admin pages of models that moved app in the split into one app per concept
# (their old paths keep working for bookmarks).
MOVED_ADMIN = {
    "annotations/assessment": "legal/assessment",
    "annotations/claim": "legal/claim",
    "annotations/criterion": "legal/criterion",
    "annotations/framework": "legal/framework",
    "annotations/historyentry": "audit/historyentry",
    "annotations/assignment": "corpus/assignment",
    "corpus/project": "projects/project",
}

urlpatterns = [
    *[
        path(
            f"admin/{old}/<path:rest>",
            RedirectView.as_view(url=f"/admin/{new}/%(rest)s", permanent=True),
            name="admin-moved",
        )
        for old, new in MOVED_ADMIN.items()
    ],
    *[
        path(
            f"admin/{old}/",
            RedirectView.as_view(url=f"/admin/{new}/", permanent=True),
            name="admin-moved",
        )
        for old, new in MOVED_ADMIN.items()
    ],
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its init script from ?script, not inline;
        # Swagger UI's own page keeps one inline <style> block.
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    # Each app mounts its own routes, lowest app first.
    *[path("api/", include(f"{app}.api.urls")) for app in settings.GLOSSA_APPS],
    *[path("", include(f"{app}.urls")) for app in settings.GLOSSA_APPS],
]
