"""Numbers as the Ministry's bulletins write them (SPEC.md, "The bulletin"): floored, never
rounded up, and marked 余 (多 for 1,000–9,999) when anything was dropped."""


def _decimal(units: int, places: int) -> str:
    """`units` hundredths (places=2) or tenths (places=1) as a decimal, trailing zeros dropped."""
    whole, fraction = divmod(units, 10**places)
    digits = f"{fraction:0{places}d}".rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


def bulletin_number(value: int) -> str:
    if value < 0:
        raise ValueError("bulletin numbers are counts, never negative")
    if value < 100:
        return str(value)
    if value < 10_000:
        kept = value // 100 * 100
        mark = "多" if value >= 1_000 else "余"
        return f"{kept}{mark if kept != value else ''}"
    if value < 1_000_000:
        kept, dropped = divmod(value, 1_000)
        return f"{_decimal(kept, 1)}万{'余' if dropped else ''}"
    if value < 100_000_000:
        kept, dropped = divmod(value, 10_000)
        return f"{kept}万{'余' if dropped else ''}"
    kept, dropped = divmod(value, 1_000_000)
    return f"{_decimal(kept, 2)}亿{'余' if dropped else ''}"


def planned_number(value: int) -> str:
    """A planned figure (a quota) as the bulletins write it: exactly, to the hundred, when it
    is a whole number of hundreds from 10,000 to 999,999 (16,800 → 1.68万, as "提供1.68万个政策性
    岗位"); otherwise as bulletin_number. Nothing is dropped, so nothing is marked."""
    if 10_000 <= value < 1_000_000 and value % 100 == 0:
        return f"{_decimal(value // 100, 2)}万"
    return bulletin_number(value)


# A count just short of a round hundred, thousand or ten thousand, as the report writes one
# ("现场达成近百个合作意向"): from nine tenths of it up.
_NEARLY = ((100, "近百"), (1_000, "近千"), (10_000, "近万"))


def nearly_number(value: int) -> str:
    """ "近百" for 90–99, "近千" for 900–999, "近万" for 9,000–9,999; otherwise as
    bulletin_number."""
    for whole, words in _NEARLY:
        if whole * 9 // 10 <= value < whole:
            return words
    return bulletin_number(value)
