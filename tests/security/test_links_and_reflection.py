"""An author's website may not be a script; admin search reflects what it was given escaped."""

import pytest
from django.core.exceptions import ValidationError

from authors.models import Author
from tests.factories import make_author

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "ftp://x.example"]
)
def test_a_script_as_author_website_is_refused(client, editor, website):
    author = Author(name="Asha", slug="asha", website=website)
    with pytest.raises(ValidationError):
        author.full_clean()
    client.force_login(editor)
    response = client.post(
        "/admin/authors/author/add/", {"name": "Asha", "slug": "asha", "kind": "person", "website": website}
    )
    assert response.status_code == 200 and not Author.objects.filter(slug="asha").exists()


def test_admin_search_reflects_a_script_escaped(client, editor):
    make_author()
    client.force_login(editor)
    for url in ["/admin/articles/article/", "/admin/authors/author/"]:
        page = client.get(url, {"q": "<script>alert(1)</script>"}).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
