"""Root URLs: each app mounts its own; the API lives under /api/."""

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Staff sign in through Glossa's own login (throttled, with the 2FA step),
# never through the admin's password-only form.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", include("corpus.accounts.urls")),
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
    path("api/", include("corpus.api.urls")),
    path("api/", include("annotations.api.urls")),
    path("", include("corpus.urls")),
    path("", include("annotations.urls")),
]
