"""The pages about the site (About, Contact, the corrections policy): written by editors at the
desk, live once saved, linked from every page's footer, cached like every reader's page."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles.models import Section
from demo.content import load_demo
from public.models import SitePage
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ADDRESSES = {"about": "/about/", "contact": "/contact/", "corrections-policy": "/corrections-policy/"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def write(slug: str = "about", title: str = "About us", body: str = "<p>Who we are.</p>") -> SitePage:
    return SitePage.objects.create(slug=slug, title=title, body=body)


def change_form(client, page: SitePage, **changes):
    data = {"title": page.title, "body": page.body, **changes}
    return client.post(f"/admin/public/sitepage/{page.pk}/change/", data)


@pytest.mark.parametrize("path", ["/", "/latest/", "/tags/transport/", "/search/?q=bridge", "ARTICLE", "/about/"])
def test_every_page_footer_links_to_the_pages_about_the_site_and_the_feeds(client, path):
    article = make_article("Bridge reopens", tags=["Transport"])
    write()
    response = client.get(article.get_absolute_url() if path == "ARTICLE" else path)
    footer = soup(response).select_one("footer.site-footer")
    links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
    assert links == {
        "About": "/about/",
        "Contact": "/contact/",
        "Corrections policy": "/corrections-policy/",
        "RSS": "/feed/",
        "Atom": "/feed/atom/",
        "Sitemap": "/sitemap.xml",
    }


@pytest.mark.parametrize("slug", ADDRESSES)
def test_each_page_answers_at_its_address_with_its_title_as_the_heading(client, slug):
    write(slug, title=f"The {slug} page", body="<p>Read this.</p><h2>More</h2><p>And this.</p>")
    page = soup(client.get(ADDRESSES[slug]))
    assert page.h1.get_text(strip=True) == f"The {slug} page"
    assert page.title.get_text() == f"The {slug} page · The Newsroom"
    assert [h.name for h in page.select("main h1, main h2")] == ["h1", "h2"]
    assert page.select_one(".site-page__body").get_text(" ", strip=True) == "Read this. More And this."


def test_a_page_not_yet_written_is_a_404_and_a_saved_one_is_live_at_once_with_no_draft(client, editor):
    assert client.get("/contact/").status_code == 404
    client.force_login(editor)
    response = client.post(
        "/admin/public/sitepage/add/", {"slug": "contact", "title": "Contact us", "body": "<p>Call.</p>"}
    )
    assert response.status_code == 302
    assert "Call." in Client().get("/contact/").content.decode()


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache", "fragments only"])
def test_an_edit_at_the_desk_shows_on_the_next_request(
    client, editor, settings, fragment_cache, page_cache, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = page_cache
    page = write(body="<p>Founded in 1998.</p>")
    reader = Client()
    assert "Founded in 1998." in reader.get("/about/").content.decode()
    assert "Founded in 1998." in reader.get("/about/").content.decode()  # now from the caches
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert change_form(client, page, body="<p>Founded in 1999.</p>").status_code == 302
    shown = reader.get("/about/").content.decode()
    assert "Founded in 1999." in shown and "Founded in 1998." not in shown


def test_a_non_ascii_title_is_kept_exactly(client, editor, django_capture_on_commit_callbacks):
    page = write()
    client.force_login(editor)
    title = "À propos de nous · Über uns · 关于我们 · عن الموقع"
    with django_capture_on_commit_callbacks(execute=True):
        assert change_form(client, page, title=title).status_code == 302
    assert soup(Client().get("/about/")).h1.get_text(strip=True) == title


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "A" * 10_000, "Ensure this value has at most 200 characters"),
        ("body", "<p>" + "word " * 50_000 + "</p>", "Ensure this value has at most 200000 characters"),
        ("title", "About\x07 us", "invisible control character (U+0007)"),
    ],
    ids=["absurd title", "absurd body", "control character"],
)
def test_an_absurd_or_unusable_value_is_a_form_error_and_nothing_is_saved(client, editor, field, value, message):
    page = write()
    client.force_login(editor)
    response = change_form(client, page, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SitePage.objects.get(pk=page.pk).title == "About us"


def test_the_body_is_cleaned_by_the_one_cleaner_at_the_desk_and_on_any_save(
    client, editor, django_capture_on_commit_callbacks
):
    dirty = '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:x()">link</a></p><iframe src="//x"></iframe>'
    saved = SitePage.objects.get(pk=write(body=dirty).pk).body
    assert "script" not in saved and "onclick" not in saved and "javascript" not in saved and "iframe" not in saved
    page = SitePage.objects.get()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        change_form(client, page, body=dirty)
    body = soup(Client().get("/about/")).select_one(".site-page__body")
    assert body.find("script") is None and body.find("iframe") is None
    assert body.p.get("onclick") is None and body.a.get("href") is None
    assert body.get_text(strip=True) == "Hellolink"


def test_editors_edit_the_pages_writers_do_not_and_nobody_removes_one(client, editor, writer):
    page = write()
    client.force_login(writer)
    assert client.get(f"/admin/public/sitepage/{page.pk}/change/").status_code == 403
    assert change_form(client, page, title="Hijacked").status_code == 403
    client.force_login(editor)
    assert client.get(f"/admin/public/sitepage/{page.pk}/change/").status_code == 200
    assert client.post(f"/admin/public/sitepage/{page.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SitePage.objects.get(pk=page.pk).title == "About us"


def test_a_page_other_than_the_three_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SitePage.objects.create(slug="secret", title="Secret", body="")
    write("about")
    with pytest.raises(IntegrityError), transaction.atomic():
        write("about", title="A second About")


def test_no_section_can_take_the_address_of_a_page():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already used by the site"):
        Section(name="About", slug="about").full_clean()


def test_load_demo_writes_the_three_pages_with_real_text_once(client):
    load_demo(password="demo-password-for-tests", pictures=False)
    load_demo(password="demo-password-for-tests", pictures=False)
    assert sorted(SitePage.objects.values_list("slug", flat=True)) == sorted(ADDRESSES)
    for address in ADDRESSES.values():
        text = soup(client.get(address)).select_one(".site-page__body").get_text(" ", strip=True)
        assert len(text.split()) > 50
