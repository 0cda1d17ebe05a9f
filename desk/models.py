"""What the desk keeps about people at work on stories: each one's unsaved edits (autosaves) and
who has which story open (presence). Neither is content: readers never see them, they are not
revisions, and they never move an article's version."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from newsroom.lib.text import without_unusable_characters

# The change form's own fields, its byline rows and the workflow buttons' fields: what an
# autosave keeps of a request (files cannot be kept; anything else is not ours).
AUTOSAVED = re.compile(
    r"^(kicker|headline|slug|standfirst|body|section|also_in|dateline_place|language|credit|tags|new_tags|opened_version|"
    r"substantive|change_note|seo_title|meta_description|social_headline|social_description|"
    r"(image|social_picture)_(alt|caption|credit|focal_x|focal_y)|"
    r"bylines-(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)|bylines-\d{1,3}-(id|article|position|author|role|DELETE)|"
    r"action-(comment|kind|text|publish_at|other))$"
)
# Longer than any field of the form accepts (the body: 200,000 characters): cut, never refused.
# How many values a request may carry at all is Django's limit (DATA_UPLOAD_MAX_NUMBER_FIELDS).
MAX_VALUE_LENGTH = 250_000


def person(user) -> str:
    """How the desk names a colleague: their author name, else their full name, else their login."""
    author = getattr(user, "author", None)
    return (author.name if author else "") or user.get_full_name() or user.get_username()


class Autosave(models.Model):
    """One user's unsaved edits of one article (or of the new article they are writing): one row,
    overwritten a few seconds after each change, cleared when they save or discard it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    data = models.JSONField(help_text="The form's fields, as lists of values by name.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], condition=Q(article__isnull=False), name="autosave_one_per_user_and_article"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article__isnull=True), name="autosave_one_new_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Autosave by {self.user} of {self.article or 'a new article'}"

    @staticmethod
    def keepable(post) -> dict[str, list[str]]:
        """What of a posted form an autosave keeps: the form's own fields, without characters no
        database can hold, a value too long cut to the limit rather than dropped."""
        return {
            name: [without_unusable_characters(value)[:MAX_VALUE_LENGTH] for value in post.getlist(name)]
            for name in post
            if AUTOSAVED.match(name)
        }

    @classmethod
    def keep(cls, user, article, post) -> "Autosave":
        """Store the form as the user's one autosave of the article (overwriting the last)."""
        data, now = cls.keepable(post), timezone.now()
        for _ in range(2):  # a second tab may create the row at the same moment: then update it
            try:
                with transaction.atomic():
                    autosave, _ = cls.objects.update_or_create(
                        user=user, article=article, defaults={"data": data, "saved_at": now}
                    )
                return autosave
            except IntegrityError:
                continue
        raise IntegrityError("the autosave could not be stored")


class Presence(models.Model):
    """Who has a story open at the desk: a heartbeat from their page keeps the row fresh."""

    HEARTBEAT = timedelta(seconds=settings.PRESENCE_HEARTBEAT_SECONDS)
    EXPIRES = 3 * HEARTBEAT  # two missed heartbeats, and they have gone

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(help_text="When they opened it (this time).")
    seen_at = models.DateTimeField(help_text="Their page's last heartbeat.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="presence_one_per_user_and_article")]
        indexes = [models.Index(fields=["article", "-seen_at"], name="presence_article_seen_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.article}"

    @classmethod
    def beat(cls, user, article) -> None:
        """The user has the article open now; `since` restarts after a gap longer than EXPIRES."""
        now = timezone.now()
        if cls.objects.filter(user=user, article=article, seen_at__gte=now - cls.EXPIRES).update(seen_at=now):
            return
        try:
            with transaction.atomic():
                cls.objects.update_or_create(user=user, article=article, defaults={"since": now, "seen_at": now})
        except IntegrityError:  # their other tab got there first
            cls.objects.filter(user=user, article=article).update(seen_at=now)

    @classmethod
    def leave(cls, user, article) -> None:
        cls.objects.filter(user=user, article=article).delete()

    @classmethod
    def others(cls, user, article) -> list["Presence"]:
        """Everyone else with the article open, the longest-present first."""
        fresh = timezone.now() - cls.EXPIRES
        return list(
            cls.objects.filter(article=article, seen_at__gte=fresh)
            .exclude(user=user)
            .select_related("user__author")
            .order_by("since")
        )
