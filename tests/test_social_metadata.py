"""What search engines and share cards read from each page: titles, descriptions, pictures,
robots, Twitter and Open Graph tags and JSON-LD; and the desk's search and social fields."""

import io
from datetime import timedelta

import extruct
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles.models import Article, ShareLink, SiteSettings
from tests.factories import form_data, make_article, make_author, make_picture

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code in (200, 404), response.status_code
    return BeautifulSoup(response.content, "html.parser")


def meta(page: BeautifulSoup, key: str) -> str | None:
    """The content of a <meta property=…> or <meta name=…>, or None."""
    tag = page.select_one(f"meta[property='{key}']") or page.select_one(f"meta[name='{key}']")
    return tag["content"] if tag else None


def json_ld(response) -> dict:
    items = extruct.extract(response.content.decode(), syntaxes=["json-ld"])["json-ld"]
    return {item["@type"]: item for item in items}


@pytest.fixture
def site_pictures():
    """The site's default share image and logo, as the desk sets them."""
    site = SiteSettings.load()
    site.default_share_image = make_picture((1600, 900), alt="The Newsroom’s masthead", colour=(20, 40, 80))
    site.publisher_logo = make_picture((600, 600), alt="The Newsroom logo", colour=(200, 0, 0))
    site.save()
    return site


@pytest.fixture
def story():
    asha = make_author("Asha Verma", x_handle="@asha_v", website="https://asha.example")
    return make_article(
        "Bridge reopens after repairs",
        standfirst="The city’s oldest bridge is open again.",
        authors=[asha],
        tags=["Bridges"],
    )


# The story page: its own texts, each falling back.


def test_a_story_page_shows_its_search_and_social_texts(client, story):
    Article.objects.filter(pk=story.pk).update(
        seo_title="Bridge open: what drivers need to know",
        meta_description="Lanes, hours and tolls of the reopened bridge.",
        social_headline="The old bridge is back",
        social_description="After two years of repairs, traffic crosses again.",
    )
    page = soup(client.get(story.get_absolute_url()))
    assert page.title.string == f"Bridge open: what drivers need to know · {settings.SITE_NAME}"
    assert meta(page, "description") == "Lanes, hours and tolls of the reopened bridge."
    assert meta(page, "og:title") == meta(page, "twitter:title") == "The old bridge is back"
    assert meta(page, "og:description") == "After two years of repairs, traffic crosses again."
    assert meta(page, "twitter:description") == "After two years of repairs, traffic crosses again."


def test_a_story_without_them_falls_back_on_the_headline_and_standfirst(client, story):
    page = soup(client.get(story.get_absolute_url()))
    assert page.title.string == f"Bridge reopens after repairs · {settings.SITE_NAME}"
    # Share cards and news extractors take og:title as the headline: the bare headline.
    assert meta(page, "og:title") == meta(page, "twitter:title") == "Bridge reopens after repairs"
    assert meta(page, "description") == meta(page, "og:description") == "The city’s oldest bridge is open again."
    assert json_ld(client.get(story.get_absolute_url()))["NewsArticle"]["headline"] == "Bridge reopens after repairs"


def card_picture(client, article) -> tuple[dict, dict]:
    response = client.get(article.get_absolute_url())
    page = soup(response)
    tags = {key: meta(page, key) for key in ("og:image", "og:image:width", "og:image:height", "og:image:alt")}
    return {**tags, "card": meta(page, "twitter:card"), "image": meta(page, "twitter:image")}, json_ld(response)


def test_the_share_picture_is_the_social_image_then_the_lead_image_then_the_sites(client, site_pictures):
    lead, social = make_picture(alt="The bridge at dawn"), make_picture(alt="Cars on the bridge")
    both = make_article("Both pictures", lead_image=lead, social_image=social)
    only_lead = make_article("Lead only", lead_image=lead)
    neither = make_article("No picture")
    for article, picture in [(both, social), (only_lead, lead), (neither, site_pictures.default_share_image)]:
        tags, data = card_picture(client, article)
        assert tags["og:image"].startswith(f"{settings.SITE_URL}/") and picture.folder in tags["og:image"]
        assert tags["image"] == tags["og:image"]
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1280", "720")
        assert tags["og:image:alt"] == picture.alt_text
        assert tags["card"] == "summary_large_image"
        images = data["NewsArticle"]["image"]
        assert len(images) == 3 and all(url.startswith(settings.SITE_URL) and picture.folder in url for url in images)


def test_without_any_picture_the_card_is_a_small_summary(client, story):
    tags, data = card_picture(client, story)
    assert tags["card"] == "summary"
    assert tags["og:image"] is None and "image" not in data["NewsArticle"]


def test_every_news_article_names_its_publisher_with_the_logo(client, story, site_pictures):
    publisher = json_ld(client.get(story.get_absolute_url()))["NewsArticle"]["publisher"]
    logo = site_pictures.publisher_logo
    assert publisher["@type"] == "Organization" and publisher["name"] == settings.SITE_NAME
    assert publisher["url"] == f"{settings.SITE_URL}/"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].startswith(settings.SITE_URL) and logo.folder in publisher["logo"]["url"]
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 600)
    assert site_pictures.publisher_logo_url == publisher["logo"]["url"]


def test_twitter_creator_is_the_first_authors_x_handle(client, story):
    assert meta(soup(client.get(story.get_absolute_url())), "twitter:creator") == "@asha_v"
    second = make_article("Two writers", authors=[make_author("Ben Ode"), make_author("Cy", x_handle="cy")])
    assert meta(soup(client.get(second.get_absolute_url())), "twitter:creator") is None


# Every page type.


@pytest.fixture
def pages(story, site_pictures) -> dict[str, str]:
    return {
        "home": "/",
        "latest": "/latest/",
        "section": story.section.get_absolute_url(),
        "tag": "/tags/bridges/",
        "author": story.byline_authors[0].get_absolute_url(),
        "search": "/search/?q=bridge",
        "404": "/no-such-page/here/",
    }


@pytest.mark.parametrize("kind", ["home", "latest", "section", "tag", "author", "search", "404"])
def test_every_page_has_the_default_share_picture_and_a_large_card(client, pages, site_pictures, kind):
    page = soup(client.get(pages[kind]))
    assert site_pictures.default_share_image.folder in meta(page, "og:image")
    assert meta(page, "og:image").startswith(f"{settings.SITE_URL}/")
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1280", "720")
    assert meta(page, "og:image:alt") == "The Newsroom’s masthead"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:title") == meta(page, "twitter:title") == page.title.string
    assert meta(page, "og:site_name") == settings.SITE_NAME


@pytest.mark.parametrize(
    ("kind", "robots"),
    [
        ("home", "max-image-preview:large"),
        ("latest", "max-image-preview:large"),
        ("section", "max-image-preview:large"),
        ("tag", "max-image-preview:large"),
        ("author", "max-image-preview:large"),
        ("search", "noindex, follow"),
        ("404", "noindex"),
    ],
)
def test_public_pages_allow_large_image_previews(client, pages, kind, robots):
    assert [tag["content"] for tag in soup(client.get(pages[kind])).select("meta[name=robots]")] == [robots]


def test_story_pages_allow_large_image_previews_and_previews_stay_unindexed(client, story, editor):
    assert meta(soup(client.get(story.get_absolute_url())), "robots") == "max-image-preview:large"
    draft = make_article("Draft", status=Article.Status.DRAFT)
    link = ShareLink.objects.create(article=draft, created_by=editor, expires_at=timezone.now() + timedelta(hours=1))
    page = soup(client.get(link.get_absolute_url()))
    assert [tag["content"] for tag in page.select("meta[name=robots]")] == ["noindex, nofollow"]
    client.force_login(editor)
    page = soup(client.get(f"/admin/articles/article/{draft.pk}/preview/"))
    assert [tag["content"] for tag in page.select("meta[name=robots]")] == ["noindex, nofollow"]


def test_the_home_describes_the_site_with_its_search_and_its_publisher(client, pages, site_pictures):
    data = json_ld(client.get("/"))
    website, organization = data["WebSite"], data["Organization"]
    assert website["name"] == settings.SITE_NAME and website["url"] == f"{settings.SITE_URL}/"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{settings.SITE_URL}/search/?q={{q}}"
    assert action["query-input"] == "required name=q"
    assert organization["name"] == settings.SITE_NAME and organization["url"] == f"{settings.SITE_URL}/"
    assert site_pictures.publisher_logo.folder in organization["logo"]["url"]
    assert organization["logo"]["url"].startswith(settings.SITE_URL)


def test_an_author_page_is_a_profile_page_with_their_other_profiles(client, pages):
    data = json_ld(client.get(pages["author"]))["ProfilePage"]
    person = data["mainEntity"]
    assert data["url"] == f"{settings.SITE_URL}{pages['author']}"
    assert person["@type"] == "Person" and person["name"] == "Asha Verma"
    assert person["sameAs"] == ["https://asha.example", "https://x.com/asha_v"]


def test_pages_without_a_site_picture_have_a_small_card(client, story):
    page = soup(client.get("/"))
    assert meta(page, "twitter:card") == "summary" and meta(page, "og:image") is None
    assert "logo" not in json_ld(client.get("/"))["Organization"]


@pytest.mark.parametrize("kind", ["home", "section", "tag", "author", "search", "latest"])
def test_the_site_pictures_cost_no_query(client, pages, site_pictures, kind):
    """They are read with the page state, which every page reads anyway."""
    SiteSettings.objects.filter(pk=1).update(default_share_image=None, publisher_logo=None)
    with CaptureQueriesContext(connection) as plain:
        client.get(pages[kind])
    SiteSettings.objects.filter(pk=1).update(
        default_share_image=site_pictures.default_share_image, publisher_logo=site_pictures.publisher_logo
    )
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as pictured:
        page = soup(client.get(pages[kind]))
    assert meta(page, "og:image") is not None
    assert len(pictured) == len(plain)


# The desk.


def change(client, editor, article, **fields):
    client.force_login(editor)
    return client.post(f"/admin/articles/article/{article.pk}/change/", form_data(article, **fields))


def test_the_desk_saves_the_search_and_social_texts_in_any_script(client, editor, story):
    texts = {
        "seo_title": "Ponte reaberta: o que muda — 桥梁重新开放",
        "meta_description": "Faixas, horários e portagens da ponte reaberta. Ça roule !",
        "social_headline": "Мост снова открыт",
        "social_description": "Μετά από δύο χρόνια επισκευών, η κυκλοφορία περνά ξανά. 🚗",
    }
    assert change(client, editor, story, **texts).status_code == 302
    story.refresh_from_db()
    assert {name: getattr(story, name) for name in texts} == texts
    client.logout()
    page = soup(client.get(story.get_absolute_url()))
    assert page.title.string == f"{texts['seo_title']} · {settings.SITE_NAME}"
    assert meta(page, "og:title") == "Мост снова открыт"


@pytest.mark.parametrize("name", ["seo_title", "meta_description", "social_headline", "social_description"])
def test_the_desk_refuses_a_control_character_with_a_message(client, editor, story, name):
    response = change(client, editor, story, **{name: "Bridge\x07 open"})
    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    story.refresh_from_db()
    assert getattr(story, name) == ""


@pytest.mark.parametrize(
    ("name", "limit"),
    [("seo_title", 100), ("meta_description", 300), ("social_headline", 150), ("social_description", 300)],
)
def test_the_desk_refuses_an_absurd_length_with_a_message(client, editor, story, name, limit):
    response = change(client, editor, story, **{name: "ö" * 10_000})
    assert response.status_code == 200
    assert f"Ensure this value has at most {limit} characters (it has 10000)." in response.content.decode()
    story.refresh_from_db()
    assert getattr(story, name) == ""


def jpeg(size=(1600, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 90, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_desk_uploads_a_social_image_for_the_card_only(client, editor, story):
    upload = SimpleUploadedFile("card.jpg", jpeg(), content_type="image/jpeg")
    response = change(client, editor, story, social_picture=upload, social_picture_alt="Cars crossing the bridge")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.social_image.alt_text == "Cars crossing the bridge" and story.lead_image is None
    client.logout()
    tags, _ = card_picture(client, story)
    assert story.social_image.folder in tags["og:image"] and tags["og:image:alt"] == "Cars crossing the bridge"


def test_the_desk_preview_falls_back_as_the_page_does(client, editor, story, site_pictures):
    client.force_login(editor)
    page = soup(client.get(f"/admin/articles/article/{story.pk}/change/"))
    preview = page.select_one("#social-preview")
    assert (
        preview.select_one("[data-preview=title]").get_text() == f"Bridge reopens after repairs · {settings.SITE_NAME}"
    )
    assert preview.select_one("[data-preview=description]").get_text() == "The city’s oldest bridge is open again."
    assert preview.select_one("[data-preview=headline]").get_text() == "Bridge reopens after repairs"
    assert site_pictures.default_share_image.folder in preview.select_one("[data-preview=image]")["src"]
    assert page.select_one("script[src$='desk/social.js']") is not None
    assert page.select_one("input[name=social_picture]") is not None


def test_site_settings_take_a_share_image_and_a_logo_checked_like_every_picture(client, editor, story):
    client.force_login(editor)
    SiteSettings.load()
    data = {"site_name": settings.SITE_NAME, "promo_text": "", "promo_url": ""}
    refused = client.post(
        "/admin/articles/sitesettings/1/change/",
        {
            **data,
            "logo": SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "logo_alt": "Logo",
        },
    )
    assert refused.status_code == 200 and SiteSettings.load().publisher_logo is None
    files = {
        "share_image": SimpleUploadedFile("share.jpg", jpeg(), content_type="image/jpeg"),
        "share_image_alt": "Our masthead",
        "logo": SimpleUploadedFile("logo.jpg", jpeg((600, 600)), content_type="image/jpeg"),
        "logo_alt": "Our logo",
    }
    assert client.post("/admin/articles/sitesettings/1/change/", {**data, **files}).status_code == 302
    site = SiteSettings.load()
    assert site.default_share_image.alt_text == "Our masthead" and site.publisher_logo.alt_text == "Our logo"
    client.logout()
    # Saving the settings renews every page: the new pictures show at once.
    page = soup(client.get("/"))
    assert site.default_share_image.folder in meta(page, "og:image")
    assert (
        site.publisher_logo.folder
        in json_ld(client.get(story.get_absolute_url()))["NewsArticle"]["publisher"]["logo"]["url"]
    )
