"""HTML routes of projects: the home page (project list) and members."""

from django.urls import path

from projects import views

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/members/", views.members_view, name="members"),
]
