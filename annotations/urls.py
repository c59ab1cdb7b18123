"""HTML routes of annotations."""

from .trust_urls import urlpatterns as trust_urlpatterns

urlpatterns: list = [
    *trust_urlpatterns,
]
