"""REST routes of the project's model (included by ``annotations.api.urls``)."""

from django.urls import path

from annotations.learning import api

urlpatterns = [
    path("models/", api.ModelListView.as_view(), name="api-models"),
    path("models/train/", api.ModelTrainView.as_view(), name="api-models-train"),
    path("models/<str:pk>/", api.ModelDetailView.as_view(), name="api-model"),
    path(
        "models/<str:pk>/download/",
        api.ModelDownloadView.as_view(),
        name="api-model-download",
    ),
]
