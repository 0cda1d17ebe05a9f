"""Going live from the desk, asked first.

A publish or a schedule pressed on a story's page leads to a confirmation: the publish checklist
(what stops it), what will go live (headline, section, byline, time) and "Publish now?". The
server checks it: a publish posted without the confirmation's field, from the story's page or
straight to the transition's address, only leads to the question. The bulk
"Publish the selected articles now" shows each story first: those in review are published on
confirmation, a draft only if the editor ticks it there, and a story the checklist stops is
refused with its problems named.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article

# Posted with "Yes, publish now" on the confirmation page; without it the desk only asks.
CONFIRM_FIELD = "_confirmed"
# The field of the bulk confirmation that publishes one draft (its value: the story's id).
CONFIRM_DRAFT_FIELD = "publish_draft"
# The most stories one bulk publish shows and publishes: each is checked and named on the page.
MOST_AT_ONCE = 100
# Why a bulk publish leaves a story that is published already.
ALREADY = {
    Article.State.LIVE: "It is live already.",
    Article.State.SCHEDULED: "It is scheduled already: reschedule it on its page to change the time.",
}


def confirmed(transition: workflow.Transition, data) -> bool:
    """Whether this request may make the transition now: it asks for no confirmation, or has it."""
    return not transition.confirm or data.get(CONFIRM_FIELD) == "1"


def refusal(transition: workflow.Transition, article: Article, user) -> str | None:
    """Why the transition cannot be made now (nothing to confirm then), or None."""
    try:
        transition.check(article, user)
    except (PermissionDenied, workflow.WorkflowError) as error:
        return str(error)
    return workflow.not_ready(article)


def _typed_key(article: Article, transition: workflow.Transition) -> str:
    return f"desk-confirm:{article.pk}:{transition.name}"


def ask(request, article: Article, transition: workflow.Transition, form) -> str:
    """The confirmation page's address. What was typed in the transition's form (a comment, a
    time) waits for it in the session: a long comment in the address would pass the servers'
    limit on its length."""
    typed = {name: form.data.get(form.add_prefix(name), "") for name in form.fields}
    request.session[_typed_key(article, transition)] = {name: value for name, value in typed.items() if value}
    return reverse("admin:articles_article_confirm", args=[article.pk, transition.name])


def byline_text(article: Article) -> str:
    """The byline as the confirmation lists it: each author with their role, then the credit."""
    names = [f"{b.author.name} ({b.role})" if b.role else b.author.name for b in article.bylines.all()]
    if article.credit_id:
        names.append(f"credit: {article.credit.name}")
    return ", ".join(names)


def _when(article: Article, transition: workflow.Transition, form) -> str:
    if transition.name == "schedule_at_embargo":
        return f"At the end of the embargo, {timezone.localtime(article.embargoed_until):%d %b %Y, %H:%M}"
    if transition.name == "publish":
        if article.has_been_published:
            return (
                f"Now, keeping its first publication time ({timezone.localtime(article.published_at):%d %b %Y, %H:%M})"
            )
        return "Now, as soon as you confirm"
    if form.is_bound and form.is_valid():
        return f"{timezone.localtime(form.cleaned_data['publish_at']):%d %b %Y, %H:%M}"
    return "At the time you choose below"


def confirm_view(article_admin, request, object_id, action):
    """The question before a story goes live (or is scheduled to): its checklist and summary."""
    article = article_admin.article_or_404(request, object_id)
    transition = workflow.TRANSITIONS.get(action)
    if transition is None or not transition.confirm:
        raise Http404("No such transition.")
    change = reverse("admin:articles_article_change", args=[article.pk])
    try:
        transition.check(article, request.user)
    except (PermissionDenied, workflow.WorkflowError) as error:
        messages.error(request, str(error))
        return redirect(change)
    kept = request.session.pop(_typed_key(article, transition), None) or {}
    typed = {name: kept[name] for name in transition.form.base_fields if isinstance(kept.get(name), str)}
    form = transition.form(typed or None, label_suffix="")
    context = {
        **article_admin.admin_site.each_context(request),
        "opts": article_admin.opts,
        "article": article,
        "original": article,
        "title": f"{transition.label}?",
        "transition": transition,
        "form": form,
        "problems": workflow.publish_problems(article),
        "summary": [
            ("Headline", article.headline),
            ("Section", str(article.section) if article.section_id else "None"),
            ("Byline", byline_text(article) or "None"),
            ("Lead image", article.lead_image.alt_text if article.lead_image_id else "None"),
            ("Goes live", _when(article, transition, form)),
        ],
        "time_zone": timezone.get_current_timezone_name(),
        "confirm_field": CONFIRM_FIELD,
        "change_url": change,
    }
    return TemplateResponse(request, "admin/articles/article/confirm_transition.html", context)


@dataclass
class Selected:
    """One story of a bulk publish, as its confirmation shows it."""

    article: Article
    refusals: list[str] = field(default_factory=list)  # why it cannot be published, if it cannot

    @property
    def is_draft(self) -> bool:
        return self.article.status == Article.Status.DRAFT


def _selected(request, queryset) -> list[Selected] | None:
    # The list's queryset brings each story's byline; the checklist reads the body and the pictures too.
    stories = list(queryset.defer(None).select_related("section__parent", "lead_image", "credit")[: MOST_AT_ONCE + 1])
    if len(stories) > MOST_AT_ONCE:
        return None
    publish = workflow.TRANSITIONS["publish"]
    selected = []
    for article in stories:
        if article.is_live or article.is_scheduled:
            selected.append(Selected(article, [ALREADY[article.state]]))
            continue
        try:
            publish.check(article, request.user)
        except (PermissionDenied, workflow.WorkflowError) as error:
            selected.append(Selected(article, [str(error)]))
        else:
            selected.append(Selected(article, workflow.publish_problems(article)))
    return selected


def _stories(count: int, what: str = "story") -> str:
    plural = "stories" if what == "story" else f"{what}s"
    return f"{count} {what if count == 1 else plural}"


def _named(articles) -> str:
    return ", ".join(f"“{article.headline}”" for article in articles)


def publish_selected(article_admin, request, queryset):
    """The bulk publish: first the confirmation page, then (posted from it) the publishing."""
    selected = _selected(request, queryset)
    if selected is None:
        messages.error(request, f"Nothing was published: choose at most {MOST_AT_ONCE} stories to publish at once.")
        return None
    if request.POST.get("post") != "yes":
        context = {
            **article_admin.admin_site.each_context(request),
            "opts": article_admin.opts,
            "title": "Publish these stories now?",
            "selected": selected,
            "in_review": sum(1 for row in selected if not row.refusals and not row.is_draft),
            "drafts": sum(1 for row in selected if not row.refusals and row.is_draft),
            "refused": sum(1 for row in selected if row.refusals),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm_draft_field": CONFIRM_DRAFT_FIELD,
        }
        return TemplateResponse(request, "admin/articles/article/publish_selected_confirmation.html", context)

    drafts_confirmed = set(request.POST.getlist(CONFIRM_DRAFT_FIELD))
    published, skipped, refused = [], [], []
    for row in selected:
        article = row.article
        if row.refusals:
            refused.append((article, " ".join(row.refusals)))
        elif row.is_draft and str(article.pk) not in drafts_confirmed:
            skipped.append(article)
        else:
            try:
                workflow.publish(article, user=request.user)
            except (PermissionDenied, workflow.WorkflowError) as error:  # changed since the page was shown
                refused.append((article, str(error)))
            else:
                published.append(article)
    if published:
        messages.success(request, f"{_stories(len(published))} published: {_named(published)}.")
    if skipped:
        messages.warning(
            request,
            f"{_stories(len(skipped), 'draft')} skipped, not confirmed: {_named(skipped)}. "
            "A draft that has not been through review is published only when you tick it on the confirmation.",
        )
    if refused:
        messages.error(request, f"{_stories(len(refused))} refused:")
        for article, reason in refused:
            messages.error(request, f"“{article.headline}”: {reason}")
    if not (published or skipped or refused):
        messages.info(request, "Nothing was published.")
    return None
