"""A URLConf with one view that forgets the permission check (test only)."""

from django.http import HttpResponse
from django.urls import path

from corpus.models import Document
from glossa.urls import urlpatterns as glossa_urlpatterns


def leaky_document(request, slug, pk):
    document = Document.objects.filter(project__slug=slug, pk=pk).first()
    return HttpResponse(document.title if document else "nothing")


urlpatterns = [
    path("p/<slug:slug>/leak/<int:pk>/", leaky_document, name="leaky-document"),
    *glossa_urlpatterns,
]
