"""The desk queues on the admin index: one click to what needs doing."""

from django import template
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import AgencyUpdate, Article
from desk.models import Autosave

register = template.Library()


@register.inclusion_tag("admin/articles/desk_queues.html", takes_context=True)
def desk_queues(context) -> dict:
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"queues": []}
    visible = Article.objects.visible_to(user)
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
    quiet): one query."""
    now = timezone.now()
    live = Q(pk__in=Article.objects.published(at=now).values("pk"))
    held = ~Q(wire_hold="")
    waiting = Exists(AgencyUpdate.objects.filter(article=OuterRef("pk"), status=AgencyUpdate.Status.PENDING))
    counts = visible.aggregate(
        held_live=Count("pk", filter=held & live),
        held=Count("pk", filter=held),
        waiting=Count("pk", filter=Q(waiting)),
        embargoed=Count("pk", filter=Q(embargoed_until__gt=now)),
    )
    queues = [
        ("⚠ Killed or withheld while live", f"{changelist}?state=live&agency=held", counts["held_live"]),
        ("Killed or withheld", f"{changelist}?agency=held", counts["held"]),
        ("Agency updates waiting", f"{changelist}?agency=update", counts["waiting"]),
        ("Embargoed", f"{changelist}?agency=embargoed", counts["embargoed"]),
    ]
    return [queue for queue in queues if queue[2]]  # only what needs someone
