"""The nine campaign figures (SPEC.md, "What the numbers mean"), counted from the records."""

from typing import TypedDict

VISIT_FIGURES = ("universities_visiting", "enterprises_visited", "visits", "positions_opened")
EVENT_FIGURES = ("events", "employers_at_events", "attendances")
VACANCY_FIGURES = ("postings", "headcount")
FIGURES = VISIT_FIGURES + EVENT_FIGURES + VACANCY_FIGURES
# Figures that count each university or employer once, however often it appears.
DISTINCT_FIGURES = frozenset(
    {"universities_visiting", "enterprises_visited", "employers_at_events"}
)


class Figures(TypedDict):
    universities_visiting: int | None
    enterprises_visited: int | None
    visits: int | None
    positions_opened: int | None
    events: int | None
    employers_at_events: int | None
    attendances: int | None
    postings: int | None
    headcount: int | None


def zero_figures(applicable: tuple[str, ...] = FIGURES) -> dict[str, int | None]:
    """All figures at zero, or None where a figure does not apply to a grouping."""
    return {name: (0 if name in applicable else None) for name in FIGURES}
