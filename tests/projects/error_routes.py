"""A URLConf with one view that fails, to see the 500 page (test only)."""

from django.urls import path

from glossa.urls import urlpatterns as glossa_urlpatterns


def broken(request):
    raise RuntimeError("a bug, for the test of the 500 page")


urlpatterns = [path("broken/", broken), *glossa_urlpatterns]
