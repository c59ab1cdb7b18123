"""HTML routes of the corpus."""

from django.urls import path

from . import views, views_members

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/members/", views_members.members_view, name="members"),
]
