"""The desk queues on the admin index: one click to what needs doing."""

from django import template
from django.urls import reverse

from articles.models import Article
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
    # The new story they were writing and never saved (a closed tab, a crash): one click back to it.
    unsaved = Autosave.objects.filter(user=user, article=None).first()
    return {"queues": queues, "unsaved": unsaved, "add_url": reverse("admin:articles_article_add")}
