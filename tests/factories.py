"""Builders that several test modules share: authors, articles, staff, form posts, pictures, data.

Test modules import from here and take fixtures from conftest.py; no test module imports another.
"""

import importlib
import io
import struct
import zlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline, Section
from authors.models import Author
from newsroom.lib import images
from pictures.models import Picture


def make_author(name: str = "Asha Verma", **fields) -> Author:
    return Author.objects.create(name=name, **fields)


def make_article(
    headline: str = "Bridge reopens after repairs",
    *,
    status: str = Article.Status.PUBLISHED,
    published_at=None,
    authors=(),
    tags=(),
    **fields,
) -> Article:
    """An article in the given state (in the News section unless told); published ones default to an hour ago."""
    if "section" not in fields and "section_id" not in fields:
        fields["section"] = news_section()
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    article = Article.objects.create(
        headline=headline,
        status=status,
        published_at=published_at,
        body=fields.pop("body", "<p>The bridge reopened on Monday.</p>"),
        **fields,
    )
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position) for position, author in enumerate(authors)
    )
    if tags:
        article.tags.set(tags)
    return article


def news_section() -> Section:
    return Section.objects.get_or_create(slug="news", defaults={"name": "News"})[0]


def ensure_editorial_groups() -> None:
    """Transactional tests flush the database; bring back the groups its data migration made."""
    from django.apps import apps

    importlib.import_module("articles.migrations.0002_editorial_groups").create_groups(apps, None)
    importlib.import_module("articles.migrations.0012_wire_desk").grant(apps, None)
    importlib.import_module("wire.migrations.0002_editors_manage_sources").grant(apps, None)
    importlib.import_module("articles.migrations.0016_sections").grant(apps, None)
    importlib.import_module("fronts.migrations.0002_editors_arrange_fronts").grant(apps, None)
    importlib.import_module("public.migrations.0002_editors_edit_pages").grant(apps, None)
    importlib.import_module("desk.migrations.0002_writers_create_tags").grant(apps, None)
    importlib.import_module("articles.migrations.0023_body_pictures").grant(apps, None)


# Every staff account the factories make logs in with this.
STAFF_PASSWORD = "correct horse battery"


def make_staff(username: str, group: str | None = None):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    if group:
        if not Group.objects.filter(name=group).exists():
            ensure_editorial_groups()
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh, without a stale permission cache


def populate(stories: int, authors_per_story: int, tags_per_story: int) -> Article:
    """`stories` live stories with a shared author, a credit and tags; returns the oldest."""
    people = [make_author(f"Writer {n}") for n in range(authors_per_story)]
    asha = make_author("Asha Verma")
    agency = make_author("Wire Agency", kind="organisation")
    article = None
    for n in range(stories):
        article = make_article(
            f"Climate story {n}",
            authors=[asha, *people],
            credit=agency,
            tags=["Climate", *[f"Topic {n}-{t}" for t in range(tags_per_story)]],
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
    return article


def form_data(article: Article, **changes) -> dict:
    """What the change form posts for the article as it is, with its byline rows."""
    bylines = list(article.bylines.all())
    rows = {}
    for index, byline in enumerate(bylines):
        rows |= {
            f"bylines-{index}-id": byline.pk,
            f"bylines-{index}-article": article.pk,
            f"bylines-{index}-author": byline.author_id,
            f"bylines-{index}-position": byline.position,
            f"bylines-{index}-role": byline.role,
        }
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "dateline_place": article.dateline_place,
        "language": article.language,
        "kicker": article.kicker,
        "section": article.section_id or "",
        "also_in": [section.pk for section in article.also_in.all()] if article.pk else [],
        "opened_version": article.version,
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(len(bylines)),
        **rows,
    }
    return {**data, **changes}


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header claims width × height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024 * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def log_in(page, base_url: str, username: str, password: str) -> None:
    """Log in to the desk in a browser page."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def choose(page, container: str, text: str) -> None:
    """Pick `text` in an admin autocomplete (select2) field in a browser page."""
    page.locator(container).click()
    page.keyboard.type(text[:4])
    option = page.locator(".select2-results__option", has_text=text)
    option.first.wait_for()
    option.first.click()


def make_picture(size: tuple[int, int] = (1800, 1200), alt: str = "A picture", colour=(30, 120, 200)):
    """A stored picture (a plain JPEG of `size`) with its renditions."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return Picture.create(images.clean_upload(ContentFile(buffer.getvalue(), name="x.jpg")), alt_text=alt)


def desk_at_work(writer, editor, stories: int) -> dict[str, list[Article]]:
    """A desk with `stories` of each kind the dashboard lists, made through the workflow (so the
    log says who did what): the writer's stories in review (each submitted with a note), returned
    to them (each with the editor's comment), scheduled, and live."""
    from articles import workflow

    author = Author.objects.filter(user=writer).first() or make_author(f"{writer.get_username()} author", user=writer)
    now = timezone.now()
    made: dict[str, list[Article]] = {"in_review": [], "returned": [], "scheduled": [], "live": []}

    def draft(kind: str, n: int) -> Article:
        return make_article(f"{kind} story {n}", status=Article.Status.DRAFT, created_by=writer, authors=[author])

    for n in range(stories):
        made["in_review"].append(workflow.submit(draft("Review", n), user=writer, comment=f"Ready, note {n}"))
        returned = workflow.submit(draft("Returned", n), user=writer, comment="Ready")
        made["returned"].append(workflow.return_to_draft(returned, user=editor, comment=f"Needs a source, {n}"))
        at = now + timedelta(hours=n + 1)
        made["scheduled"].append(workflow.schedule(draft("Scheduled", n), user=editor, publish_at=at))
        made["live"].append(workflow.publish(draft("Live", n), user=editor))
    return made
