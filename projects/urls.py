"""HTML routes of projects: the home page (project list), new project, members."""

from django.urls import path

from projects import views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/new/", views.project_new_view, name="project-new"),
    path("p/<slug:slug>/members/", views.members_view, name="members"),
]
