"""The desk queues on the admin index: one click to what needs doing."""

from django import template
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import AgencyUpdate, Article, in_any
from desk.models import Autosave

register = template.Library()


@register.inclusion_tag("admin/articles/desk_queues.html", takes_context=True)
def desk_queues(context) -> dict:
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"queues": []}
    visible = Article.objects.visible_to(user).not_in_trash()
    changelist = reverse("admin:articles_article_changelist")
    queues = [
        ("Awaiting review", f"{changelist}?state=in_review", visible.in_review().count()),
        (
            "My drafts",
            f"{changelist}?state=draft&mine=1",
            visible.drafts().owned_by(user).count(),
        ),
        ("Scheduled", f"{changelist}?state=scheduled", visible.scheduled().count()),
    ]
    if user.has_perm("articles.publish_article"):
        queues += wire_queues(visible, changelist)
    # The new story they were writing and never saved (a closed tab, a crash): one click back to it.
    unsaved = Autosave.objects.filter(user=user, article=None).first()
    return {"queues": queues, "unsaved": unsaved, "add_url": reverse("admin:articles_article_add")}


def wire_queues(visible, changelist: str) -> list[tuple]:
    """What the agencies said that an editor must act on, most urgent first (none when all is
    quiet): one query, for the few stories concerned (found through partial indexes)."""
    now = timezone.now()
    waiting = AgencyUpdate.objects.filter(status=AgencyUpdate.Status.PENDING).values("article_id")
    flagged = Article.objects.filter(~Q(wire_hold="") | Q(embargoed_until__gt=now)).values("pk")
    concerned = visible.filter(in_any(flagged, waiting)).annotate(
        waiting=Exists(waiting.filter(article_id=OuterRef("pk"))),
        # Live as readers see it: the one definition, published(), not a copy of its rule.
        live=Exists(Article.objects.published(at=now).filter(pk=OuterRef("pk"))),
    )
    rows = list(concerned.values_list("embargoed_until", "wire_hold", "waiting", "live"))

    queues = [
        (
            "⚠ Killed or withheld while live",
            f"{changelist}?state=live&agency=held",
            sum(1 for _, held, _, live in rows if held and live),
        ),
        ("Killed or withheld", f"{changelist}?agency=held", sum(1 for _, held, _, _ in rows if held)),
        ("Agency updates waiting", f"{changelist}?agency=update", sum(1 for _, _, waits, _ in rows if waits)),
        ("Embargoed", f"{changelist}?agency=embargoed", sum(1 for until, _, _, _ in rows if until and until > now)),
    ]
    return [queue for queue in queues if queue[2]]  # only what needs someone
