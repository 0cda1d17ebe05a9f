"""`load_demo` fills a fresh database with the seed story and demo accounts, and is safe to rerun."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article
from authors.models import Author

pytestmark = pytest.mark.django_db

APPS = ["auth.user", "auth.group", "authors", "articles", "pictures", "taggit"]


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", *APPS, indent=1, stdout=out)
    return out.getvalue()


def test_load_demo_twice_gives_the_same_database():
    call_command("load_demo", password="first-password-123", stdout=io.StringIO())
    first = dump()
    output = io.StringIO()
    call_command("load_demo", password="first-password-123", stdout=output)
    assert dump() == first
    assert "0 new objects" in output.getvalue()


def test_demo_has_stories_in_every_state_and_the_seed_authors(demo):
    assert Article.objects.published().count() >= 5
    assert Article.objects.drafts().exists()
    assert Article.objects.in_review().exists()
    assert Article.objects.scheduled().exists()
    assert Article.objects.drafts().filter(published_at__isnull=False).exists(), "an unpublished story"

    agency = Author.objects.get(name="Tribune News Service")
    assert agency.kind == Author.Kind.ORGANISATION
    assert agency.bio.startswith("The Tribune News Service brings you the latest news, analysis and insights")
    assert Author.objects.get(name="Sandeep Dikshit").bio == ""


def test_demo_accounts_are_in_their_groups_and_can_log_in(demo, client):
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert list(User.objects.get(username="editor").groups.values_list("name", flat=True)) == ["Editors"]
    assert list(User.objects.get(username="writer").groups.values_list("name", flat=True)) == ["Writers"]
    editor = User.objects.get(username="editor")
    assert editor.check_password("demo-password-for-tests")
    client.force_login(editor)  # logging in by form is the browser tests' job (and axes would count it)
    assert client.get("/admin/").status_code == 200


def test_demo_stories_and_authors_have_pictures_with_alt_text():
    from demo.content import load_demo
    from pictures.models import Picture

    load_demo(password="first-password-123")
    pictured = Article.objects.published().filter(lead_image__isnull=False)
    assert pictured.count() >= 3
    assert all(article.lead_image.alt_text for article in pictured)
    assert all(article.lead_image.renditions for article in pictured)
    assert Author.objects.filter(photo__isnull=False).count() >= 3
    assert Picture.objects.count() == pictured.count() + Author.objects.filter(photo__isnull=False).count()
