"""HTML routes of annotations."""

urlpatterns: list = []
