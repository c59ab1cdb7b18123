"""HTML routes of review: agreement and adjudication."""

from django.urls import path

from review import views

urlpatterns = [
    path("p/<slug:slug>/agreement/", views.agreement_view, name="agreement"),
    path(
        "p/<slug:slug>/agreement/export.csv",
        views.agreement_csv_view,
        name="agreement-csv",
    ),
    path(
        "p/<slug:slug>/adjudicate/",
        views.adjudication_list_view,
        name="adjudication-list",
    ),
    path(
        "p/<slug:slug>/adjudicate/<int:pk>/", views.adjudicate_view, name="adjudicate"
    ),
]
