"""Folding pending vacancies in large pieces without holding the writes back (PostgreSQL).

A piece of up to FOLD_PIECE pending vacancies is counted, set-based, into rows of its own in
`stat_counts` (a batch: `batch` is the piece's first vacancy id; a figure is the sum of every
batch, so readers need not know). That is the long part, and it runs beside the writes: it
holds only the loads' shared lock (locks.py). Then, as the one writer of the figures for a
moment, the fold checks that no write changed one of the piece's vacancies meanwhile (each such
write moves its run's `changes`, see pending.note_changes), forgets the piece's runs, and
commits. A piece some write did change is rolled back and taken again, smaller.

The batches are then merged into the rows every write keeps (batch 0), MERGE_STEP rows a
transaction, each a moment as the one writer: the figures are the same before and after.
"""

from sqlalchemy import exists, select, text, update
from sqlalchemy.orm import Session

from app.core import epochs
from app.stats import locks
from app.stats.models import PendingVacancies, StatCount
from app.stats.pending import runs_of_ranges, within

# A national load (12.3 million vacancies) in one piece: a piece writes a row for each cell its
# vacancies touch, and a national ledger's touch nearly every cell, so smaller pieces would
# each write most of the cells again, and the merge move them all. A larger piece is also one
# more at risk of a write to one of its vacancies meanwhile: then it is taken again, smaller.
FOLD_PIECE = 20_000_000
# A merge step is a moment as the one writer: a few hundredths of a second.
MERGE_STEP = 2_000
_KEY = ("fact", "level", "slice", "industry", "province", "university", "day")


class ChangedMeanwhile(Exception):
    """A write changed one of the piece's vacancies while it was being counted."""


def fold_piece(session: Session, max_vacancies: int = FOLD_PIECE) -> int:
    """Count up to `max_vacancies` pending vacancies, oldest runs first, as a batch of their
    own; answer how many. ChangedMeanwhile: roll back, and take a smaller piece."""
    from app.stats.upkeep import insert_batch, sort_in_memory

    locks.share_loads(session)
    taken = _oldest(session, max_vacancies)
    if not taken:
        return 0
    sort_in_memory(session)
    pieces = [(first, first + size - 1) for _, first, _, size, _ in taken]
    insert_batch(session, within(runs_of_ranges(pieces)), batch=pieces[0][0])
    locks.write(session)
    _unchanged(session, taken)
    for run_id, first, last, size, _ in taken:
        _forget(session, run_id, first, last, size)
    epochs.mark(session, epochs.FIGURES)
    return sum(size for *_, size, _ in taken)


def split(session: Session, max_vacancies: int = FOLD_PIECE) -> None:
    """Where the next piece would end inside a run, make that run two (in a transaction of its
    own, before the piece): a write to the rest of the run is then no change to the piece."""
    for run_id, first, last, size, changes in _oldest(session, max_vacancies):
        if size < last - first + 1:
            run = PendingVacancies.__table__
            session.execute(update(run).where(run.c.id == run_id).values(last_id=first + size - 1))
            session.execute(
                run.insert().values(first_id=first + size, last_id=last, changes=changes)
            )


def _oldest(session: Session, room: int) -> list[tuple[int, int, int, int, int]]:
    """The oldest runs, as (id, first id, last id, how many of it to take, changes)."""
    taken = []
    query = select(
        PendingVacancies.id,
        PendingVacancies.first_id,
        PendingVacancies.last_id,
        PendingVacancies.changes,
    ).order_by(PendingVacancies.id)
    for run_id, first, last, changes in session.execute(query.limit(room)):
        size = min(last - first + 1, room)
        taken.append((run_id, first, last, size, changes))
        room -= size
        if not room:
            break
    return taken


def _unchanged(session: Session, taken: list) -> None:
    seen = {run_id: changes for run_id, _, _, _, changes in taken}
    now = dict(
        session.execute(
            select(PendingVacancies.id, PendingVacancies.changes).where(
                PendingVacancies.id.in_(seen)
            )
        ).all()
    )
    if now != seen:
        raise ChangedMeanwhile


def _forget(session: Session, run_id: int, first: int, last: int, size: int) -> None:
    run = PendingVacancies.__table__
    if size == last - first + 1:
        session.execute(run.delete().where(run.c.id == run_id))
    else:  # the rest of the run, for the next piece
        session.execute(update(run).where(run.c.id == run_id).values(first_id=first + size))


def merge(session: Session, max_rows: int = MERGE_STEP) -> int:
    """Move up to `max_rows` rows of batches into the kept rows (batch 0); answer how many."""
    locks.write(session)
    key = ", ".join(_KEY)
    if session.connection().dialect.name == "postgresql":
        # One statement: the rows it deletes are the rows it adds, whatever commits meanwhile.
        moved = session.execute(
            text(
                f"WITH moved AS (DELETE FROM stat_counts WHERE ctid = ANY(ARRAY("
                f"SELECT ctid FROM stat_counts WHERE batch <> 0 LIMIT :rows)) "
                f"RETURNING {key}, records, total), "
                f"added AS (INSERT INTO stat_counts ({key}, records, total, batch) "
                f"SELECT {key}, sum(records), sum(total), 0 FROM moved GROUP BY {key} "
                f"ON CONFLICT ({key}, batch) DO UPDATE SET "
                f"records = stat_counts.records + excluded.records, "
                f"total = stat_counts.total + excluded.total) "
                f"SELECT count(*) FROM moved"
            ),
            {"rows": max_rows},
        ).scalar_one()
    else:  # SQLite: one writer, so the same rows twice
        chunk = f"SELECT rowid FROM stat_counts WHERE batch <> 0 ORDER BY rowid LIMIT {max_rows}"
        session.execute(
            text(
                f"INSERT INTO stat_counts ({key}, records, total, batch) "
                f"SELECT {key}, sum(records), sum(total), 0 FROM stat_counts "
                f"WHERE rowid IN ({chunk}) GROUP BY {key} "
                f"ON CONFLICT ({key}, batch) DO UPDATE SET "
                f"records = stat_counts.records + excluded.records, "
                f"total = stat_counts.total + excluded.total"
            )
        )
        moved = session.execute(text(f"DELETE FROM stat_counts WHERE rowid IN ({chunk})")).rowcount
    # No figure changes (the same sums, in fewer rows): the answers kept in memory stand.
    return moved


def unmerged(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(StatCount.batch != 0))))
