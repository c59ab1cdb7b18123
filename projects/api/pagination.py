"""The one pagination of every API list (``DEFAULT_PAGINATION_CLASS``)."""

from rest_framework.pagination import PageNumberPagination


class GlossaPagination(PageNumberPagination):
    """Numbered pages of 50; ``?page_size=`` asks for up to 200.

    One class for every list, so clients page every list the same way
    (``count``, ``next``, ``previous``, ``results``). The annotator needs no
    large pages (its page carries the document's annotations and suggestions;
    it calls the API only to write and for small panels); scripts reading all
    the annotations of a long document follow ``next`` with
    ``?page_size=200``. The bound keeps one request's cost predictable:
    search results carry a headline computed per row.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
