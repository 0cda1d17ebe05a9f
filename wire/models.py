"""Who may push wire copy to us: a Source (an agency, or the group's own system) and its token.

The token is shown once, when it is made, and stored only as its SHA-256: a copy of the database
gives nobody a way in. Its first characters are kept in the clear to tell tokens apart in the
admin and to find the row; the hash is compared in constant time.
"""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone

from authors.models import Author
from newsroom.lib.fields import PlainCharField

TOKEN_BYTES = 32
PREFIX_LENGTH = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SourceQuerySet(models.QuerySet):
    def authenticated(self, token: str) -> "Source | None":
        """The active source whose token this is, or None (the same None for unknown, inactive or malformed)."""
        if not token or len(token) > 200:
            return None
        digest = _digest(token)
        for source in self.filter(is_active=True, token_prefix=token[:PREFIX_LENGTH]):
            if hmac.compare_digest(source.token_hash, digest):
                return source
        return None


class Source(models.Model):
    """An agency or system that pushes ninjs to /wire/push/ with its own token."""

    name = PlainCharField(max_length=100, unique=True)
    default_credit = models.ForeignKey(
        "authors.Author",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Author.Kind.ORGANISATION},
        help_text="Given to pushed stories that name no credit themselves.",
    )
    default_section = models.ForeignKey(
        "articles.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where pushed stories go whose subjects name no section. Without one they wait for an editor to choose.",
    )
    is_active = models.BooleanField(
        default=True, help_text="An inactive source's pushes are refused as if its token were wrong."
    )
    token_prefix = PlainCharField(max_length=PREFIX_LENGTH, editable=False, db_index=True)
    token_hash = PlainCharField(max_length=64, editable=False, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.token_hash:
            self.new_token()  # a token nobody has seen: the admin's "Regenerate token" gives one to use
        super().save(*args, **kwargs)

    def new_token(self) -> str:
        """Give the source a fresh token (the old one stops working once saved) and return it:
        the only time anyone sees it."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_prefix = token[:PREFIX_LENGTH]
        self.token_hash = _digest(token)
        return token

    def mark_used(self) -> None:
        self.last_used_at = timezone.now()
        Source.objects.filter(pk=self.pk).update(last_used_at=self.last_used_at)
