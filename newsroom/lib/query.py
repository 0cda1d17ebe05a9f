"""Numbers in query strings, read strictly."""


def whole_number(value: str, *, most: int, least: int = 0) -> int | None:
    """`value` as an int between `least` and `most`, or None. Only ASCII digits count: Python's
    isdigit() also accepts "²" and other digits int() refuses."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(most)):
        return None
    number = int(value)
    return number if least <= number <= most else None
