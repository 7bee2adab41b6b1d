"""The ledgers of graduates in difficulty and of their services, out: the list's filters, the
import's Chinese headers (so an exported ledger sent back updates each record by its 系统编号,
the last column), streamed as the other ledgers are (app/imports/exports.py).

What a reader sees, as in the API (app/assistance/service.present): ID numbers and phones
masked (430102********0016, 139****0002), which an import reads as "unchanged"; names in full
to the graduate's own university only (张** to a province or the Ministry). Full numbers
only with `full_numbers=true` and a `reason`, to an account (a person, never an API token) of
the graduates' own university granted may_reveal_personal_data, as a reveal
(app/assistance/reveal.may_reveal); else 403. Every export is audited, one with full numbers
saying so with its reason (scrubbed of any number typed into it); none is cached.
"""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from app.assistance.models import AssistedGraduate, DifficultyGroup
from app.assistance.reveal import may_reveal
from app.assistance.schemas import Reason
from app.auth.principal import Principal
from app.core.errors import Forbidden, InvalidInput
from app.imports.columns import LABELS, columns_of
from app.imports.exports import Export, Table, ledger_cell
from app.privacy.cipher import get_cipher
from app.privacy.numbers import mask_name, scrub

_FETCH = 2_000
FullNumbers = Annotated[
    bool,
    Query(
        description="Full ID numbers and phones, with a `reason` (audited): only for an account "
        "of the graduates' own university granted may_reveal_personal_data. Default: masked."
    ),
]
ExportReason = Annotated[
    Reason | None, Query(description="Why the full numbers are needed (with full_numbers).")
]
# The graduate's name in a service ledger: shown, never read back (an import ignores it).
GRADUATE_NAME = "学生姓名"


class _Shown:
    """How one reader is shown the graduates: their names, and their numbers."""

    def __init__(self, who: Principal, full_numbers: bool) -> None:
        self.own = who.reach.university
        self.cipher = get_cipher() if full_numbers else None
        self.revealed: dict[int, str | None] = {}

    def name(self, university: str, name: str | None) -> str | None:
        return name if name is None or university == self.own else mask_name(name)

    def number(self, masked: str | None, cipher: str | None) -> str | None:
        if self.cipher is None or cipher is None:
            return masked
        return self.cipher.decrypt(cipher)


def full_numbers_allowed(who: Principal, full_numbers: bool, reason: str | None) -> str | None:
    """The reason of an export with full numbers (None: the numbers masked); 403 for a reader
    who may not have them, 422 without a reason."""
    if not full_numbers:
        return None
    if who.reach.university is None:
        raise Forbidden(
            "Full numbers are exported only to an account of the graduates' own university "
            "granted may_reveal_personal_data; provinces and the Ministry see them masked.",
            field="full_numbers",
        )
    may_reveal(who, who.reach.university)
    if reason is None:
        raise InvalidInput(
            "An export with full numbers needs a reason (audited).",
            field="reason",
            location="query",
        )
    return reason


def _detail(request: Request, reason: str | None) -> str:
    """The audit row's detail: the filters asked for, and an export of full numbers named as
    such with its reason, scrubbed (never the query string as sent, which holds the reason)."""
    asked = "&".join(
        f"{name}={value}" for name, value in request.query_params.multi_items() if name != "reason"
    )
    if reason is None:
        return scrub(asked)
    return scrub(f"full numbers (完整号码); reason: {reason}" + (f"; {asked}" if asked else ""))


def respond(
    session: Session,
    export: Export,
    request: Request,
    kind: str,
    query: Select,
    format: str,
    reason: str | None,
) -> StreamingResponse:
    shown = _Shown(export.who, reason is not None)
    table = _graduates(session, shown) if kind == "assisted_graduates" else _services(shown)
    response = export.respond(
        session, kind, query, format, table=table, detail=_detail(request, reason)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _graduates(session: Session, shown: _Shown) -> Table:
    columns = columns_of("assisted_graduates")
    names = dict(session.execute(select(DifficultyGroup.code, DifficultyGroup.name)).all())

    def rows(factory: sessionmaker[Session], query: Select) -> Iterator[list[Any]]:
        with factory() as reading:
            for graduate in reading.scalars(query.execution_options(yield_per=_FETCH)):
                values = _graduate_values(graduate, shown, names)
                yield [ledger_cell(column, values[column.field]) for column in columns]

    return Table([column.label for column in columns], rows)


def _graduate_values(graduate: AssistedGraduate, shown: _Shown, names: dict) -> dict:
    return {
        "university_code": graduate.university_code,
        "cohort": graduate.cohort,
        "name": shown.name(graduate.university_code, graduate.name),
        "id_number": shown.number(graduate.id_number_masked, graduate.id_number_cipher),
        "phone": shown.number(graduate.phone_masked, graduate.phone_cipher),
        "gender": graduate.gender,
        "major": graduate.major,
        "education": graduate.education,
        "groups": [names.get(code, code) for code in graduate.groups],
        "mentor": graduate.mentor,
        "status": graduate.status,
        "status_date": graduate.status_date,
        "external_ref": graduate.external_ref,
        "id": graduate.id,
    }


def _services(shown: _Shown) -> Table:
    """Each service with its graduate: found again by 学生系统编号 (and 学生台账编号, and the
    masked 居民身份证号, which must be theirs), and named (as the reader may see the name)."""
    columns = columns_of("assistance_services")
    labels = [column.label for column in columns]
    at = labels.index(LABELS["assistance_services"]["graduate_ref"]) + 1
    header = [*labels[:at], GRADUATE_NAME, *labels[at:]]
    graduate_columns = (
        AssistedGraduate.university_code,
        AssistedGraduate.external_ref,
        AssistedGraduate.name,
        AssistedGraduate.id_number_masked,
        AssistedGraduate.id_number_cipher,
        AssistedGraduate.cohort,
    )

    def rows(factory: sessionmaker[Session], query: Select) -> Iterator[list[Any]]:
        with factory() as reading:
            selected = query.add_columns(*graduate_columns).execution_options(yield_per=_FETCH)
            for service, university, ref, graduate_name, masked, cipher, cohort in reading.execute(
                selected
            ):
                if service.graduate_id not in shown.revealed:  # one graduate's at a time
                    shown.revealed = {service.graduate_id: shown.number(masked, cipher)}
                values = {
                    "university_code": university,
                    "graduate_ref": ref,
                    "id_number": shown.revealed[service.graduate_id],
                    "cohort": cohort,
                    "graduate_id": service.graduate_id,
                    **{name: getattr(service, name) for name in _SERVICE_COLUMNS},
                }
                row = [ledger_cell(column, values[column.field]) for column in columns]
                named = ledger_cell(columns[0], shown.name(university, graduate_name))
                yield [*row[:at], named, *row[at:]]

    return Table(header, rows)


_SERVICE_COLUMNS = (
    "kind",
    "service_date",
    "provider",
    "note",
    "vacancy_id",
    "programme",
    "hours",
    "amount",
    "external_ref",
    "id",
)
