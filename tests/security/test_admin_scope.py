"""The admin gives writers only what the page shows them.

Changelists take only their declared filters (no `?email__startswith=` oracle, no
`?body__regex=` to hold a worker); "view on site" and the revision pages answer only for what the
user may see, with one answer for hidden and missing; tag lists and autocompletes show writers
only the tags of stories they may see."""

from datetime import timedelta

import pytest
import reversion
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from newsroom.lib.admin import DeskModelAdmin
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_every_admin_of_ours_takes_only_its_declared_filters():
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"articles", "authors", "pictures", "desk", "fronts", "wire", "taggit"}
    ]
    assert ours and all(isinstance(model_admin, DeskModelAdmin) for model_admin in ours)


@pytest.mark.parametrize(
    "query",
    [
        "/admin/authors/author/?email__startswith=a",
        "/admin/authors/author/?user__password__startswith=pbkdf2",
        "/admin/articles/article/?body__regex=(a%2B)%2B$",
        "/admin/articles/article/?created_by__username=editor",
        "/admin/articles/article/?status__exact=draft",
        "/admin/taggit/tag/?taggit_taggeditem_items__object_id=1",
    ],
)
def test_lookups_the_changelist_never_offered_are_refused(client, writer, query):
    make_author("Asha Verma", email="asha@example.org")
    client.force_login(writer)
    assert client.get(query).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "/admin/articles/article/?state=draft",
        "/admin/articles/article/?mine=1",
        "/admin/articles/article/?author={author}",
        "/admin/articles/article/?tag={tag}",
        "/admin/articles/article/?q=bridge",
        "/admin/authors/author/?kind__exact=person&is_active__exact=1",
    ],
)
def test_the_filters_the_changelist_shows_still_work(client, editor, query):
    author = make_author()
    article = make_article(authors=[author], tags=["Bridges"])
    client.force_login(editor)
    url = query.format(author=author.pk, tag=article.tags.get().pk)
    assert client.get(url).status_code == 200


def view_on_site(article_or_pk) -> str:
    content_type = ContentType.objects.get_for_model(Article)
    pk = getattr(article_or_pk, "pk", article_or_pk)
    return f"/admin/r/{content_type.pk}/{pk}/"


def test_view_on_site_answers_only_for_what_the_user_may_see(client, writer, other_writer):
    theirs = make_article("Their secret draft", status=Article.Status.DRAFT, created_by=other_writer)
    scheduled = make_article(
        "Embargoed results", published_at=timezone.now() + timedelta(days=1), created_by=other_writer
    )
    live = make_article("Bridge reopens", authors=[make_author()])
    client.force_login(writer)
    hidden = client.get(view_on_site(theirs))
    missing = client.get(view_on_site(10_000_000))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert theirs.slug.encode() not in hidden.content
    assert client.get(view_on_site(scheduled)).status_code == 404
    assert client.get(f"/admin/r/999999/{live.pk}/").status_code == 404
    assert client.get(view_on_site(live))["Location"] == live.get_absolute_url()


def test_a_writer_reads_revisions_only_of_their_own_stories(client, writer, other_writer, editor):
    with reversion.create_revision():
        theirs = make_article("Bridge reopens", created_by=other_writer, authors=[make_author()])
    with reversion.create_revision():
        theirs.headline = "Bridge reopens after cut draft"
        theirs.save()
    with reversion.create_revision():
        mine = make_article("My story", status=Article.Status.IN_REVIEW, created_by=writer)
    versions = list(reversion.models.Version.objects.get_for_object(theirs))
    client.force_login(writer)
    base = f"/admin/articles/article/{theirs.pk}/revisions/"
    assert client.get(base).status_code == 404
    compared = client.get(f"{base}compare/", {"from": versions[-1].pk, "to": versions[0].pk})
    assert compared.status_code == 404
    assert client.post(f"{base}{versions[-1].pk}/restore/").status_code == 404
    page = client.get(f"/admin/articles/article/{theirs.pk}/change/")
    assert page.status_code == 200 and "/revisions/" not in page.content.decode()
    assert client.get(f"/admin/articles/article/{mine.pk}/revisions/").status_code == 200
    client.force_login(editor)
    assert client.get(base).status_code == 200


def autocomplete(client, term: str) -> list[str]:
    response = client.get(
        "/admin/autocomplete/", {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": term}
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_tags_of_stories_a_writer_cannot_see_stay_out_of_their_lists(client, writer, other_writer, editor):
    make_article("Merger talks", status=Article.Status.DRAFT, created_by=other_writer, tags=["Secret merger"])
    make_article("Bridge reopens", authors=[make_author()], tags=["Secret bridges"])
    make_article("My draft", status=Article.Status.DRAFT, created_by=writer, tags=["Secret mine"])
    Tag.objects.create(name="Secret ballot", slug="secret-ballot")  # made ahead, on no story yet
    client.force_login(writer)
    assert sorted(autocomplete(client, "secret")) == ["Secret ballot", "Secret bridges", "Secret mine"]
    listing = client.get("/admin/taggit/tag/").content.decode()
    assert "Secret merger" not in listing and "Secret bridges" in listing
    client.force_login(editor)
    assert sorted(autocomplete(client, "secret")) == ["Secret ballot", "Secret bridges", "Secret merger", "Secret mine"]
