from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.errors import AlreadyExists, StillReferenced


def refuse_if_referenced(
    session: Session,
    what: str,
    key: object,
    references: Iterable[tuple[str, InstrumentedAttribute]],
) -> None:
    """Raise 409 naming every kind of record that still points at `key`; nothing is cascaded."""
    counts = {
        label: session.scalar(select(func.count()).where(column == key)) or 0
        for label, column in references
    }
    in_use = {label: count for label, count in counts.items() if count}
    if in_use:
        listed = ", ".join(f"{count} {label}" for label, count in in_use.items())
        raise StillReferenced(
            f"{what} is still referenced by {listed}; delete or re-point those first.",
            referenced_by=in_use,
        )


def refuse_duplicate_external_ref(
    session: Session,
    model: type,
    record_id: int | None,
    university_code: str | None,
    ref: str | None,
) -> None:
    """A ledger row id (台账编号) names one record per university (as the unique constraint,
    which lets records of no university share one)."""
    if ref is None or university_code is None:
        return
    query = select(model.id).where(
        model.university_code == university_code, model.external_ref == ref
    )
    if record_id is not None:
        query = query.where(model.id != record_id)
    existing = session.scalar(query.limit(1))
    if existing is not None:
        raise AlreadyExists(
            f"台账编号 {ref!r} is already used by record {existing} of university {university_code}.",
            field="external_ref",
            existing_id=existing,
        )
