"""Plain text from outside: characters that no page, feed or database can carry.

XML 1.0 (RSS, Atom, sitemaps) forbids the C0 control characters other than tab, newline and
carriage return; PostgreSQL text cannot hold NUL; a lone surrogate cannot be encoded at all.
Typed text with one of them gets a form error; wire copy and queries have them removed.
"""

import re

from django.core.exceptions import ValidationError

UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def without_unusable_characters(value: str) -> str:
    return UNUSABLE.sub("", value)


def refuse_unusable_characters(value: str) -> None:
    """A field validator: a clear error naming the first character that cannot be published."""
    if found := UNUSABLE.search(value or ""):
        raise ValidationError(
            "This text contains an invisible control character (U+%(code)04X), perhaps from a paste; "
            "feeds cannot carry it. Retype the text around it.",
            code="control_character",
            params={"code": ord(found.group())},
        )
