"""The nine campaign figures (SPEC.md, "What the numbers mean"), counted from the records."""

VISIT_FIGURES = ("universities_visiting", "enterprises_visited", "visits", "positions_opened")
EVENT_FIGURES = ("events", "employers_at_events", "attendances")
VACANCY_FIGURES = ("postings", "headcount")
FIGURES = VISIT_FIGURES + EVENT_FIGURES + VACANCY_FIGURES
# Figures that count each university or employer once, however often it appears.
DISTINCT_FIGURES = ("universities_visiting", "enterprises_visited", "employers_at_events")

# The figures a breakdown can give per group; the others are null there.
APPLICABLE: dict[str, tuple[str, ...]] = {
    "event_kind": EVENT_FIGURES,
    "source": VACANCY_FIGURES,
    "policy_program": VACANCY_FIGURES,
}


def zero_figures(applicable: tuple[str, ...] = FIGURES) -> dict[str, int | None]:
    """All figures at zero, or None where a figure does not apply to a grouping."""
    return {name: (0 if name in applicable else None) for name in FIGURES}
