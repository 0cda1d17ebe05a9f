"""The desk's background calls from a story's change form: autosave and presence (JSON).

Each is served under the article admin (desk.admin.ArticleAdmin.get_urls), behind its login,
and checks on the server that the user may see the story (or add one, for a new story).
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import parse_tags

from articles import diff, revisions
from authors.models import Author
from desk.models import Autosave, Presence, person
from newsroom.lib.query import id_from


def _article_or_new(article_admin, request, object_id):
    """The article this user may see, or None for a new one (if they may add articles)."""
    if object_id is None:
        if not article_admin.has_add_permission(request):
            raise PermissionDenied
        return None
    return article_admin.article_or_404(request, object_id)


def autosave(article_admin, request, object_id=None):
    """Keep the posted form as the user's autosave of the story: not a revision, not a save."""
    article = _article_or_new(article_admin, request, object_id)
    kept = Autosave.keep(request.user, article, request.POST)
    return JsonResponse({"saved_at": timezone.localtime(kept.saved_at).strftime("%H:%M:%S")})


def discard_autosave(article_admin, request, object_id=None):
    """Throw away the user's autosave of the story, then back to the form."""
    article = _article_or_new(article_admin, request, object_id)
    Autosave.objects.filter(user=request.user, article=article).delete()
    back = "admin:articles_article_add" if article is None else "admin:articles_article_change"
    return HttpResponseRedirect(reverse(back, args=[] if article is None else [article.pk]))


def others_editing(user, article) -> list[dict]:
    return [
        {"name": person(presence.user), "since": timezone.localtime(presence.since).strftime("%H:%M")}
        for presence in Presence.others(user, article)
    ]


def presence(article_admin, request, object_id):
    """A heartbeat from the story's open change form; answers who else has it open."""
    article = article_admin.article_or_404(request, object_id)
    Presence.beat(request.user, article)
    return JsonResponse({"others": others_editing(request.user, article)})


def leave(article_admin, request, object_id):
    """The page was closed (sent as a beacon): the user no longer has the story open."""
    article = article_admin.article_or_404(request, object_id)
    Presence.leave(request.user, article)
    return JsonResponse({"left": True})


def restore_into(request, article) -> bool:
    """Put the user's autosave of the story in place of what was posted, to be shown in the form
    (not saved: the form says so). False if there is none."""
    kept = Autosave.objects.filter(user=request.user, article=article).first()
    if kept is None:
        return False
    data = QueryDict(mutable=True)
    for name, values in kept.data.items():
        data.setlist(name, values)
    data["csrfmiddlewaretoken"] = request.POST.get("csrfmiddlewaretoken", "")
    request.POST = data
    request.restored_autosave = kept
    return True


def _autosave_snapshot(data: dict) -> dict[str, str]:
    """An autosave's fields as plain text, to compare with the saved story."""

    def one(name: str) -> str:
        return (data.get(name) or [""])[0]

    rows = sorted(
        (int(match.group(1)), pk, one(f"bylines-{match.group(1)}-role"))
        for name in data
        if (match := re.fullmatch(r"bylines-(\d{1,4})-author", name, re.ASCII))
        and (pk := id_from(one(name)))
        and not one(f"bylines-{match.group(1)}-DELETE")
    )
    ids = [pk for _, pk, _ in rows]
    credit = id_from(one("credit"))
    authors = dict(Author.objects.filter(pk__in=[*ids, *([credit] if credit else [])]).values_list("pk", "name"))
    tag_ids = [pk for value in data.get("tags", []) if (pk := id_from(value))]
    typed = [" ".join(value.split()) for value in data.get("tags", []) if not id_from(value) and value.strip()]
    tags = [*Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True), *typed, *parse_tags(one("new_tags"))]
    section = id_from(one("section"))
    also_in = [pk for value in data.get("also_in", []) if (pk := id_from(value))]
    sections = revisions.section_names([*also_in, *([section] if section else [])])
    return diff.snapshot(
        kicker=one("kicker"),
        headline=one("headline"),
        slug=one("slug"),
        standfirst=one("standfirst"),
        body=one("body"),
        dateline_place=one("dateline_place"),
        language=one("language"),
        section=sections.get(section, ""),
        also_in=[sections[pk] for pk in also_in if pk in sections],
        credit=authors.get(credit, "") if credit else "",
        byline=[revisions.byline_text(authors.get(pk, ""), role) for _, pk, role in rows],
        tags=tags,
        **{name: one(name) for name in diff.SEARCH_AND_SOCIAL},
    )


def editing_context(request, article, *, editable: bool) -> dict:
    """What the change form (or the Add page) needs for autosave and presence."""
    if not editable:
        return {}
    prefix = "admin:articles_article"
    if article is None:
        urls = {"autosave": reverse(f"{prefix}_autosave_new"), "discard": reverse(f"{prefix}_discard_autosave_new")}
    else:
        urls = {
            "autosave": reverse(f"{prefix}_autosave", args=[article.pk]),
            "discard": reverse(f"{prefix}_discard_autosave", args=[article.pk]),
            "presence": reverse(f"{prefix}_presence", args=[article.pk]),
            "leave": reverse(f"{prefix}_leave", args=[article.pk]),
        }
    heartbeat = int(Presence.HEARTBEAT.total_seconds())
    # A form shown again after a POST (errors, a merge, a restore) holds what the user has not saved.
    context = {"editing": {**urls, "heartbeat": heartbeat, "unsaved": request.method == "POST"}}
    if article is not None:
        Presence.beat(request.user, article)
        context["others_editing"] = others_editing(request.user, article)
    kept = Autosave.objects.filter(user=request.user, article=article).first()
    if kept is not None and request.method == "GET":
        saved = revisions.article_snapshot(article) if article is not None else _autosave_snapshot({})
        changes = diff.changes(saved, _autosave_snapshot(kept.data))
        if changes:
            today = timezone.localdate(kept.saved_at) == timezone.localdate()
            context["autosave_offer"] = {"saved_at": kept.saved_at, "today": today, "changes": changes}
        else:
            kept.delete()  # nothing in it that is not saved
    return context
