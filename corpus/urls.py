"""HTML routes of the corpus."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
