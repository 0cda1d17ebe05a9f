"""Plain text from outside, made fit to keep: one normaliser for every text field.

Browsers send line breaks as "\\r\\n" (and count them as one character where a form says
maxlength); XML 1.0 (RSS, Atom, sitemaps, ninjs consumers) forbids the C0 control characters
other than tab and newline; PostgreSQL text cannot hold NUL; a lone surrogate cannot be encoded
at all. So line breaks become "\\n" first, everywhere; then typed text with one of the other
characters gets a form error naming it, and wire copy and queries have them removed.

Forms and models get this through newsroom.lib.forms.PlainTextField and
newsroom.lib.fields.PlainCharField/PlainTextField (tests/security/test_text_input.py checks
that every text field of ours uses them); wire copy and search queries through `cleaned()`.
"""

import re

from django.core.exceptions import ValidationError

UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
LINE_BREAK = re.compile("\r\n?")


def normalise_line_breaks(value: str) -> str:
    return LINE_BREAK.sub("\n", value)


def without_unusable_characters(value: str) -> str:
    return UNUSABLE.sub("", normalise_line_breaks(value))


def cleaned(value: str) -> tuple[str, int]:
    """Text from outside that nobody can retype (wire copy, queries), with the unusable
    characters removed, and how many there were."""
    value = normalise_line_breaks(value)
    kept, removed = UNUSABLE.subn("", value)
    return kept, removed


def refuse_unusable_characters(value: str) -> None:
    """A field validator: a clear error naming the first character that cannot be published."""
    if found := UNUSABLE.search(value or ""):
        raise ValidationError(
            "This text contains an invisible control character (U+%(code)04X), perhaps from a paste; "
            "feeds cannot carry it. Retype the text around it.",
            code="control_character",
            params={"code": ord(found.group())},
        )
