"""HTML routes of the model page (included by ``annotations.urls``)."""

from django.urls import path

from annotations.learning import views

urlpatterns = [
    path("p/<slug:slug>/model/", views.model_page_view, name="learning-model"),
    path("p/<slug:slug>/model/train/", views.model_train_view, name="learning-train"),
    path(
        "p/<slug:slug>/model/settings/",
        views.model_settings_view,
        name="learning-settings",
    ),
    path(
        "p/<slug:slug>/model/v<int:version>/download/",
        views.model_download_view,
        name="learning-download",
    ),
]
