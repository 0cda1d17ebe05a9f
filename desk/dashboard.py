"""The desk's dashboard (the admin index, desk.sites.DeskSite): what needs doing, one click from
each story. Each list is one queryset of the models' (Article.objects.in_review_queue(),
returned_to(), scheduled_queue(), ArticleTransition.objects.visible_to()), cut to a screenful:
the page runs the same queries however many stories there are."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from articles.models import AgencyUpdate, Article, ArticleTransition, in_any, is_editor, is_reviewer
from desk.models import Autosave

# How many rows each list shows; the rest are a click away in the article list.
SHOWN = 8
QUEUE_SHOWN = 20
ACTIVITY_SHOWN = 12


def dashboard(user) -> dict:
    """What the dashboard shows this user: writers their own stories, reviewers and editors the
    review queue too, editors what is scheduled and what the agencies said."""
    if not user.has_perm("articles.view_article"):
        return {}
    changelist = reverse("admin:articles_article_changelist")
    visible = Article.objects.visible_to(user)
    mine = Article.objects.owned_by(user)
    counts = mine.count_by_state()
    board = {
        "changelist": changelist,
        "may_add": user.has_perm("articles.add_article"),
        "mine_by_state": [
            (label, f"{changelist}?state={state}&mine=1", counts[state])
            for state, label in Article.State.choices
            if counts[state] or state != Article.State.TRASHED  # the trash is named only when it holds some
        ],
        "mine": list(mine.not_in_trash().defer("body", "standfirst").order_by("-edited_at", "-pk")[:SHOWN]),
        "returned": list(Article.objects.returned_to(user).defer("body", "standfirst")[:QUEUE_SHOWN]),
        # Everyone on the desk may see what is live: published() alone, without visible_to()'s OR.
        "published": list(
            Article.objects.published()
            .select_related("section__parent")
            .defer("body", "standfirst")
            .order_by("-published_at")[:SHOWN]
        ),
        "activity": list(ArticleTransition.objects.visible_to(user).for_desk()[:ACTIVITY_SHOWN]),
        # The new story they were writing and never saved (a closed tab, a crash): one click back to it.
        "unsaved": Autosave.objects.filter(user=user, article=None).first(),
    }
    if is_reviewer(user):
        review = visible.in_review_queue().defer("body", "standfirst")
        board["review"] = list(review[:QUEUE_SHOWN])
        board["review_count"] = visible.in_review().count()
    if is_editor(user):
        board["scheduled"] = list(visible.scheduled_queue().defer("body", "standfirst")[:QUEUE_SHOWN])
        board["scheduled_count"] = visible.scheduled().count()
        board["wire"] = wire_queues(visible.not_in_trash(), changelist)
    return board


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
