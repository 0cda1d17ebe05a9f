"""Numbers from outside (query strings, posted ids), read strictly."""

# The largest primary key a database column holds (bigint); SQLite overflows past it.
MAX_ID = 2**63 - 1


def whole_number(value: str, *, most: int, least: int = 0) -> int | None:
    """`value` as an int between `least` and `most`, or None. Only ASCII digits count: Python's
    isdigit() also accepts "²" and other digits int() refuses."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(most)):
        return None
    number = int(value)
    return number if least <= number <= most else None


def id_from(value) -> int | None:
    """A posted or queried id as an int, or None: ASCII digits only, within a bigint."""
    return whole_number(value, least=1, most=MAX_ID) if isinstance(value, str) else None
