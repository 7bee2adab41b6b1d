"""Keeping personal data no longer than needed, and under the newest key.

De-identification (retention): the people of a cohort older than PERSONAL_DATA_KEEP_YEARS go
(name, ID number, phone, the notes of their services); what they were counted as stays
(university, cohort, gender, groups, statuses, services), so the figures do not change.

Rotation: every stored number re-encrypted under the newest of PERSONAL_DATA_KEYS and its
lookup hash remade with it; after that the older keys can be removed."""

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.assistance.models import AssistanceService, AssistedGraduate
from app.assistance.service import today
from app.privacy.cipher import get_cipher

BATCH = 1000


def oldest_kept_cohort(keep_years: int, on: dt.date | None = None) -> int:
    """Cohorts before this one are de-identified: a cohort graduates in its year, and is kept
    `keep_years` full years after."""
    return (on or today()).year - keep_years


def deidentify_before(session: Session, cohort: int) -> int:
    """De-identify the graduates of cohorts before `cohort`; answers how many were."""
    people = select(AssistedGraduate.id).where(
        AssistedGraduate.cohort < cohort, AssistedGraduate.deidentified_at.is_(None)
    )
    ids = list(session.scalars(people))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        session.execute(
            update(AssistedGraduate)
            .where(AssistedGraduate.id.in_(chunk))
            .values(
                name=None,
                id_number_cipher=None,
                id_number_hash=None,
                id_number_masked=None,
                phone_cipher=None,
                phone_masked=None,
                external_ref=None,
                deidentified_at=dt.datetime.now(dt.UTC),
            )
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(AssistanceService)
            .where(AssistanceService.graduate_id.in_(chunk))
            .values(note=None)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
    return len(ids)


def rotate_keys(session: Session) -> int:
    """Re-encrypt and re-hash every graduate's numbers under the newest key; answers how many
    graduates were rewritten."""
    cipher = get_cipher()
    rewritten = 0
    last_id = 0
    while True:
        graduates = list(
            session.scalars(
                select(AssistedGraduate)
                .where(
                    AssistedGraduate.id > last_id, AssistedGraduate.id_number_cipher.is_not(None)
                )
                .order_by(AssistedGraduate.id)
                .limit(BATCH)
            )
        )
        if not graduates:
            return rewritten
        for graduate in graduates:
            id_number = cipher.decrypt(graduate.id_number_cipher)
            graduate.id_number_cipher = cipher.rotate(graduate.id_number_cipher)
            graduate.id_number_hash = cipher.lookup_hash(id_number)
            if graduate.phone_cipher:
                graduate.phone_cipher = cipher.rotate(graduate.phone_cipher)
        session.flush()
        rewritten += len(graduates)
        last_id = graduates[-1].id
