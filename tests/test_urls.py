"""The fast URL builder gives exactly what reverse() gives."""

import pytest
from django.urls import reverse

from newsroom.lib.urls import fast_reverse


@pytest.mark.parametrize(
    "slug", ["bridge-reopens", "google-har-kjøpt-giganttomt", "cambrios被gartner評選為最酷供應商", "a_b-1"]
)
def test_fast_reverse_matches_reverse(slug):
    kwargs = {"year": 2024, "month": 5, "day": 6, "slug": slug}
    expected = reverse("articles:detail", kwargs=kwargs)
    assert (
        fast_reverse(
            "articles:detail",
            {"year": 1987, "month": 12, "day": 31, "slug": "slug-sample"},
            year="2024",
            month="05",
            day="06",
            slug=slug,
        )
        == expected
    )
    assert fast_reverse("articles:author", {"slug": "slug-sample"}, slug=slug) == reverse(
        "articles:author", kwargs={"slug": slug}
    )
