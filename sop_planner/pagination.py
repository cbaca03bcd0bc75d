"""One page size rule for every list the API answers: no answer can grow without bound."""

from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` up to 1,000 rows a page (a larger limit gets 1,000); `next` links the rest."""

    default_limit = 100
    max_limit = 1000
