"""Path converters for readable, stable URLs such as /2024/05/16/xi-putin-resolve/.

Registered when this module is imported: the URLconfs that use them (public, wire) import it."""

from django.urls import register_converter


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


class UnicodeSlug:
    """Slugs may hold letters of any script (headlines in Chinese or Norwegian)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigits, "dd")
register_converter(UnicodeSlug, "uslug")
