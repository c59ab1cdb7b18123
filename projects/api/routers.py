"""The API router every app uses."""

from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    """DRF's default router without ``.json``-style format suffix routes.

    Formats are chosen by the Accept header (or ``?format=``); the suffix
    routes doubled every endpoint and reached view methods with an extra
    ``format`` argument they did not expect.
    """

    include_format_suffixes = False
