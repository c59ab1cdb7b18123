"""HTML routes of annotations."""

from django.urls import path

from . import views

urlpatterns = [
    path("p/<slug:slug>/", views.project_dashboard_view, name="project-dashboard"),
    path("p/<slug:slug>/documents/", views.document_list_view, name="document-list"),
    path("p/<slug:slug>/d/<int:pk>/", views.annotator_view, name="annotator"),
]
