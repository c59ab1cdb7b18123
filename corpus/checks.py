"""System check: with DEBUG off, static files must have been collected.

WhiteNoise's manifest storage (used when DEBUG is off) raises on every
``{% static %}`` whose file is not in the manifest, so without
``manage.py collectstatic`` every page is a 500 while the server starts
happily. ``check --deploy`` now says so instead.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register("glossa_static", deploy=True)
def check_static_collected(app_configs=None, **kwargs) -> list[Error]:
    from django.contrib.staticfiles.storage import (
        ManifestFilesMixin,
        staticfiles_storage,
    )

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    if staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return []
    return [
        Error(
            f"Static files are not collected: {settings.STATIC_ROOT} has no "
            f"{staticfiles_storage.manifest_name}, so with DEBUG off every page "
            "would fail with a server error.",
            hint="Run `manage.py collectstatic --noinput` (make deploy does) "
            "or set STATIC_ROOT to where they were collected.",
            id="glossa.E010",
        )
    ]
