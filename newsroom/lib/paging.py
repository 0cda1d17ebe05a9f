"""Numbered pages that never count a whole table."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `most_pages` pages of results: past that, "more than" is all anyone needs,
    and counting every match of a common word in a large archive costs more than the page."""

    most_pages = 50

    def __init__(self, *args, most_pages: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.most_pages = most_pages or self.most_pages

    @property
    def most(self) -> int:
        """The most results counted: a count above it means "more than this many"."""
        return self.most_pages * self.per_page

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.most + 1].count()

    @property
    def counted_all(self) -> bool:
        return self.count <= self.most
