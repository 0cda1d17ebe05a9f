"""Demo content: the seed story, a few stories in every workflow state, and demo accounts.

Idempotent: what exists is left as it is, so running it twice gives the same database.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles import workflow
from articles.models import Article, SiteSettings
from authors.models import Author
from demo import drawings
from demo.sections import ensure_sections
from fronts.models import Block, Front, arrange
from newsroom.lib import images
from pictures.models import Picture
from public.models import SitePage
from wire.importer import import_document

DATA = Path(__file__).resolve().parent / "data"

DEMO_USERS = [
    # (user name, group, superuser)
    ("admin", None, True),
    ("editor", "Editors", False),
    ("writer", "Writers", False),
]


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.created.append(what)


def _seed_story() -> dict:
    """The seed story, read from the ninjs 2.2 document it came as."""
    ninjs = json.loads((DATA / "tribune-news-service-xi-putin.ninjs.json").read_text())
    return {
        "headline": ninjs["headlines"][0]["value"],
        "standfirst": ninjs["descriptions"][0]["value"],
        "body": ninjs["bodies"][0]["value"],
        "dateline_place": ninjs["located"],
        "language": ninjs["language"],
        "byline": [ninjs["by"]],
        "credit": ninjs["infosources"][0]["name"],
        "tags": [subject["name"] for subject in ninjs["subjects"]],
        "state": "published",
        "published_at": datetime.fromisoformat(ninjs["firstcreated"]),
        "section": "world",
        "also_in": ["asia"],
    }


def _users(password: str, result: DemoResult) -> dict:
    User = get_user_model()
    users = {}
    for username, group_name, is_superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "is_superuser": is_superuser,
                "email": f"{username}@newsroom.invalid",
                "first_name": username.capitalize(),
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if created:
            result.add(f"user {username}")
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


def _picture(image, **fields) -> Picture:
    return Picture.create(images.clean_upload(drawings.as_upload(image)), **fields)


def _authors(users: dict, result: DemoResult, *, pictures: bool) -> dict:
    seed = json.loads((DATA / "demo.json").read_text())["authors"]
    stories = json.loads((DATA / "stories.json").read_text())["authors"]
    authors = {}
    for entry in seed + stories:
        fields = {key: value for key, value in entry.items() if key not in {"name", "user", "photo"}}
        if "user" in entry:
            fields["user"] = users[entry["user"]]
        author, created = Author.objects.get_or_create(name=entry["name"], defaults=fields)
        if created:
            result.add(f"author {author.name}")
        if pictures and "photo" in entry and author.photo_id is None:
            portrait = drawings.portrait(entry["photo"]["initials"], tuple(entry["photo"]["colour"]))
            author.photo = _picture(portrait, alt_text=author.name, credit="Illustration: Newsroom demo")
            author.save(update_fields=["photo"])
            result.add(f"photo of {author.name}")
        authors[author.name] = author
    return authors


def _lead_image(entry: dict) -> Picture:
    return _drawn(entry["image"])


def _drawn(spec: dict) -> Picture:
    return _picture(
        drawings.SCENES[spec["scene"]](),
        alt_text=spec["alt"],
        caption=spec["caption"],
        credit=spec["credit"],
        focal_x=spec["focal"][0],
        focal_y=spec["focal"][1],
    )


# The body's picture blocks name the story's body_pictures by key (demo/data/stories.json).
PICTURE_KEYS = re.compile(r'data-(picture|gallery)="([^"]*)"')


def _body(entry: dict, *, pictures: bool) -> str:
    """The entry's body with its body_pictures drawn and named by id. Without pictures the keys
    stay, and the cleaner removes the blocks they name (a key is not a picture's id)."""
    if not pictures or "body_pictures" not in entry:
        return entry["body"]
    ids = {key: str(_drawn(spec).pk) for key, spec in entry["body_pictures"].items()}
    return PICTURE_KEYS.sub(lambda m: f'data-{m[1]}="{" ".join(ids[key] for key in m[2].split())}"', entry["body"])


def _story(
    entry: dict, authors: dict, users: dict, sections: dict, now: datetime, result: DemoResult, *, pictures: bool
) -> None:
    """Create one story and take it through the workflow to the state the demo data names."""
    headline = entry["headline"]
    existing = Article.objects.filter(headline=headline).first()
    if existing is not None:
        if pictures and "image" in entry and existing.lead_image_id is None:
            Article.objects.filter(pk=existing.pk).touch(lead_image=_lead_image(entry))
            result.add(f"lead image of “{headline}”")
        return
    byline = [authors[name] for name in entry["byline"]]
    writer, editor = users["writer"], users["editor"]
    owner = writer if any(author.user == writer for author in byline) else editor
    article = Article.objects.create(
        headline=headline,
        standfirst=entry["standfirst"],
        body=_body(entry, pictures=pictures),
        dateline_place=entry["dateline_place"],
        language=entry.get("language", "en"),
        credit=authors.get(entry.get("credit")),
        section=sections[entry["section"]],
        kicker=entry.get("kicker", ""),
        lead_image=_lead_image(entry) if pictures and "image" in entry else None,
        created_by=owner,
        edited_by=owner,
    )
    article.set_byline(byline)
    article.tags.set(entry["tags"])
    article.also_in.set([sections[slug] for slug in entry.get("also_in", [])])

    state = entry["state"]
    if state in {"in_review", "published", "scheduled", "unpublished", "trashed"} and owner == writer:
        article = workflow.submit(article, user=writer)
    if state == "in_review" and owner == editor:
        article = workflow.submit(article, user=editor)
    if state == "scheduled":
        workflow.publish(article, user=editor, at=now - timedelta(hours=entry["hours_ago"]))
    elif state in {"published", "unpublished", "trashed"}:
        published_at = entry.get("published_at") or now - timedelta(hours=entry["hours_ago"])
        article = workflow.publish(article, user=editor, at=published_at, backdate=True)
    if entry.get("updated"):
        article = workflow.record_update(article, user=editor, substantive=True, comment=entry["updated"])
    if entry.get("correction"):
        workflow.add_correction(article, user=editor, kind="correction", text=entry["correction"])
    if state == "unpublished":
        workflow.unpublish(article, user=editor, comment=entry["unpublished"])
    if state == "trashed":
        workflow.trash(article, user=editor, comment=entry["trashed"])
    result.add(f"{state} article “{headline}”")


@transaction.atomic
def load_demo(*, password: str, pictures: bool = True) -> DemoResult:
    """`pictures=False` skips drawing the demo pictures (a few seconds), for tests that need none."""
    result = DemoResult()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    users = _users(password, result)
    authors = _authors(users, result, pictures=pictures)

    promo = json.loads((DATA / "demo.json").read_text())["site_promo"]["text"]
    site = SiteSettings.load()
    if not site.promo_text:
        site.promo_text = promo
        site.save()
        result.add("site promo line")

    if pictures:
        _site_pictures(site, result)
    sections = ensure_sections()
    for entry in [_seed_story(), *json.loads((DATA / "stories.json").read_text())["stories"]]:
        _story(entry, authors, users, sections, now, result, pictures=pictures)
    _wire_desk(users["editor"], now, result)
    _fronts(sections, users["editor"], result)
    _site_pages(result)
    return result


def _site_pictures(site: SiteSettings, result: DemoResult) -> None:
    """The default share image and the publisher's logo, once: pictures staff chose stay."""
    made = []
    if site.default_share_image is None:
        site.default_share_image = _picture(
            drawings.share_card(site.site_name), alt_text=f"{site.site_name}: news as it happens"
        )
        made.append("default_share_image")
    if site.publisher_logo is None:
        site.publisher_logo = _picture(drawings.logo(), alt_text=f"{site.site_name} logo")
        made.append("publisher_logo")
    if made:
        site.save(update_fields=made)
        result.add("site share image and logo")


def _site_pages(result: DemoResult) -> None:
    """About, Contact and the corrections policy, once: an editor's later text is left as it is."""
    for entry in json.loads((DATA / "pages.json").read_text())["pages"]:
        _, created = SitePage.objects.get_or_create(slug=entry["slug"], defaults=entry)
        if created:
            result.add(f"page “{entry['title']}”")


def _fronts(sections: dict, editor, result: DemoResult) -> None:
    """The home front (the seed story pinned as its lead) and the World front, once: an editor's
    later arrangement is left as it is."""
    if not Front.objects.filter(section__isnull=True).exists():
        seed = Article.objects.get(headline=_seed_story()["headline"])
        china = Tag.objects.filter(name="China").first()
        arrange(
            blocks=[
                {"kind": Block.Kind.LEAD, "count": 1, "pins": [seed]},
                {"kind": Block.Kind.TOP, "count": 4, "title": "Top stories"},
                {"kind": Block.Kind.SECTION, "count": 3, "section": sections["world"]},
                {"kind": Block.Kind.SECTION, "count": 3, "section": sections["politics"]},
                {"kind": Block.Kind.SECTION, "count": 3, "section": sections["business"]},
                *([{"kind": Block.Kind.TAG, "count": 3, "tag": china}] if china else []),
                {"kind": Block.Kind.SECTION, "count": 3, "section": sections["city"]},
                {"kind": Block.Kind.LATEST, "count": 6},
            ],
            user=editor,
            note="The demo's home front",
        )
        result.add("home front")
    if not Front.objects.filter(section=sections["world"]).exists():
        arrange(
            section=sections["world"],
            blocks=[
                {"kind": Block.Kind.LEAD, "count": 1},
                {"kind": Block.Kind.SECTION, "count": 3, "section": sections["asia"]},
                {"kind": Block.Kind.SECTION, "count": 3, "section": sections["europe"]},
            ],
            user=editor,
            note="The demo's World front",
        )
        result.add("World front")


def _wire_desk(editor, now: datetime, result: DemoResult) -> None:
    """Two agency stories on the wire desk: one under embargo until three hours from now, and one
    the agency has since killed (its kill notice comes in after the story)."""
    embargoed = json.loads((DATA / "wire" / "harbour-bridge.ninjs.json").read_text())
    embargoed["embargoed"] = (now + timedelta(hours=3)).isoformat()
    killed = json.loads((DATA / "wire" / "rail-strike.ninjs.json").read_text())
    kill = {**killed, "version": "2", "pubstatus": "canceled", "ednote": "Kill: the unions have called off the strike."}
    for name, document in [("harbour-bridge", embargoed), ("rail-strike", killed), ("rail-strike kill", kill)]:
        outcome = import_document(f"{name}.json", json.dumps(document).encode(), user=editor)
        if outcome.status in ("imported", "held"):
            result.add(f"wire: {outcome}")
