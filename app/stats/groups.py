"""The groups of a breakdown: their codes, Chinese names and order."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.events.models import EventKind
from app.reference.data import INDUSTRIES, PROVINCES
from app.universities.models import University
from app.vacancies.models import PolicyProgram, VacancySource

# Groupings over a fixed list answer every member, zeros included, in the list's order.
FIXED_GROUPS: dict[str, dict[str, str]] = {
    "province": PROVINCES,
    "industry": INDUSTRIES,
    "event_kind": {kind.value: kind.label for kind in EventKind},
    "source": {source.value: source.label for source in VacancySource},
    "policy_program": {program.value: program.label for program in PolicyProgram},
}
# The group of records that have no value for the grouping (listed last).
NO_VALUE_NAMES = {
    "industry": "未指定行业",
    "university": "未关联高校",
    "policy_program": "非政策性岗位",
}


def ordered_groups(by: str, counted: Iterable[str | None]) -> list[str | None]:
    present = set(counted)
    codes = list(FIXED_GROUPS[by]) if by in FIXED_GROUPS else sorted(c for c in present if c)
    return codes + ([None] if None in present else [])


# Beyond this many, all universities' names are read: cheaper than a list of thousands of codes.
_LISTED_AT_MOST = 200


def group_names(session: Session, by: str, codes: Iterable[str | None]) -> dict[str | None, str]:
    names: dict[str | None, str] = {None: NO_VALUE_NAMES.get(by, "未指定")}
    if by in FIXED_GROUPS:
        return names | FIXED_GROUPS[by]
    wanted = {code for code in codes if code}
    query = select(University.code, University.name)
    if len(wanted) <= _LISTED_AT_MOST:
        query = query.where(University.code.in_(wanted))
    found = session.execute(query).all()
    return names | {code: name for code, name in found if code in wanted}
