"""Events (招聘活动). A reach covers an event by its university (a university's token) or its
province (a province's token); national staff cover every event."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.auth.ownership import owned_fields, refuse_unless_own
from app.auth.principal import NATIONAL, Principal, Reach
from app.core.changes import changed_copy
from app.core.errors import InvalidInput, NotFound, OutOfReach, UnknownReference
from app.core.filters import DateRange, require_ordered, within
from app.core.pagination import PageParams, paginate
from app.core.references import refuse_duplicate_external_ref, refuse_if_referenced
from app.employers.models import Employer
from app.events.models import Event, EventKind, EventMode, EventParticipant
from app.events.schemas import EventCreate, EventUpdate
from app.stats import locks
from app.stats.upkeep import events_touch, keeping_figures
from app.universities.service import require_university
from app.vacancies.models import Vacancy


def within_reach(reach: Reach) -> list:
    """The conditions that keep a query of events to those `reach` covers."""
    return reach.where(Event.university_code, Event.province)


def get_event(
    session: Session, event_id: int, reach: Reach = NATIONAL, *, for_write: bool = False
) -> Event:
    """The event `event_id`; 404 when there is none, and the same 404 (audited as refused)
    when `reach` does not cover it."""
    event = locks.fetch(session, Event, event_id, for_write=for_write)
    if event is None:
        raise NotFound(_missing(event_id))
    if not reach.covers_university(event.university_code, event.province):
        raise OutOfReach(_missing(event_id))
    return event


def event_for_write(session: Session, event_id: int, reach: Reach = NATIONAL) -> Event:
    """The event `event_id`, read afresh under the lock its change or delete takes first
    (get_event); 404 as get_event, and 403 unless `reach` may change it (its own)."""
    event = get_event(session, event_id, reach, for_write=True)
    refuse_unless_own(reach, event.university_code, f"Event {event_id}")
    return event


def _missing(event_id: int) -> str:
    return f"No event {event_id}."


def require_event(session: Session, event_id: int, field: str = "event_id") -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise UnknownReference(_missing(event_id), field=field)
    return event


def _check_participants(session: Session, usccs: list[str]) -> None:
    """Each participant at most once, and each a registered employer."""
    seen: set[str] = set()
    for position, uscc in enumerate(usccs):
        if uscc in seen:
            raise InvalidInput(
                f"Employer {uscc} is listed twice among the participants.",
                field=f"participants[{position}]",
            )
        seen.add(uscc)
    known = set(session.scalars(select(Employer.uscc).where(Employer.uscc.in_(seen))))
    for position, uscc in enumerate(usccs):
        if uscc not in known:
            raise UnknownReference(
                f"No employer with 统一社会信用代码 {uscc}; register it first.",
                field=f"participants[{position}]",
            )


def _set_participants(event: Event, usccs: list[str]) -> None:
    wanted = set(usccs)
    event.participant_rows = [row for row in event.participant_rows if row.employer_uscc in wanted]
    present = {row.employer_uscc for row in event.participant_rows}
    event.participant_rows.extend(
        EventParticipant(employer_uscc=uscc) for uscc in usccs if uscc not in present
    )


def _check(session: Session, event: Event) -> None:
    require_ordered(event.start_date, event.end_date)
    if event.university_code is not None:
        require_university(session, event.university_code)
    refuse_duplicate_external_ref(
        session, Event, event.id, event.university_code, event.external_ref
    )


def create_event(session: Session, data: EventCreate, who: Principal | None = None) -> Event:
    """A new event of `who`'s: a university's token's event is its own (university_code may be
    left out), a province's token's is its department's (no university; province its own, and
    may be left out). `province` left out otherwise: the event's university's province, and
    422 naming it when the event has no university."""
    _check_participants(session, data.participants)
    fields = owned_fields(who, data.model_dump(exclude={"participants"}))
    if fields["province"] is None:
        if fields["university_code"] is None:
            raise InvalidInput(
                "province is required: where the event is held (or a university_code, "
                "whose province it then is).",
                field="province",
            )
        fields["province"] = require_university(session, fields["university_code"]).province
    event = Event(**fields)
    _check(session, event)
    _set_participants(event, data.participants)
    touched = events_touch(data.participants)
    with keeping_figures(session, touched, after=lambda: touched.plus(events=Event.id == event.id)):
        session.add(event)
    return event


def events_query(
    reach: Reach = NATIONAL,
    *,
    dates: DateRange,
    province: str | None = None,
    university_code: str | None = None,
    kind: EventKind | None = None,
    mode: EventMode | None = None,
    industry: str | None = None,
    employer_uscc: str | None = None,
) -> Select:
    """The records a list or an export of them holds, in order: those `reach` covers, that
    the filters select."""
    query = (
        select(Event)
        .where(*within(Event.start_date, dates), *within_reach(reach))
        .order_by(Event.id)
    )
    for column, value in (
        (Event.province, province),
        (Event.university_code, university_code),
        (Event.kind, kind),
        (Event.mode, mode),
        (Event.industry, industry),
    ):
        if value is not None:
            query = query.where(column == value)
    if employer_uscc:
        query = query.where(
            Event.id.in_(
                select(EventParticipant.event_id).where(
                    EventParticipant.employer_uscc == employer_uscc
                )
            )
        )
    return query


def participants_query(reach: Reach = NATIONAL, **filters) -> Select:
    """The participants of the events `events_query` selects, event by event, each with its
    event's id and 台账编号 (a ledger of participants names its event by either)."""
    events = events_query(reach, **filters).with_only_columns(Event.id).order_by(None)
    return (
        select(
            EventParticipant.event_id,
            Event.external_ref.label("event_ref"),
            EventParticipant.employer_uscc,
        )
        .join(Event, Event.id == EventParticipant.event_id)
        .where(EventParticipant.event_id.in_(events))
        .order_by(EventParticipant.event_id, EventParticipant.employer_uscc)
    )


def list_events(session: Session, page: PageParams, reach: Reach = NATIONAL, **filters) -> dict:
    return paginate(session, events_query(reach, **filters), page)


def update_event(
    session: Session, event_id: int, data: EventUpdate, who: Principal | None = None
) -> Event:
    """A change to an event `who` covers (else 404, as a missing one); a new university_code
    or province is `who`'s to give, as when creating (403 naming it otherwise)."""
    reach = who.reach if who is not None else NATIONAL
    event = event_for_write(session, event_id, reach)
    changes = owned_fields(who, data.changes())
    participants = changes.pop("participants", None)
    touched = events_touch({*event.participants, *(participants or ())}, event.id)
    with keeping_figures(session, touched), session.no_autoflush:
        for field, value in changes.items():
            setattr(event, field, value)
        _check(session, event)
        if participants is not None:
            _check_participants(session, participants)
            _set_participants(event, participants)
    return event


def check_update(session: Session, event: Event, data: EventUpdate) -> None:
    """Raise what update_event would raise for `data` as national staff's change (an import's,
    whose rows are within its sender's reach already), changing nothing."""
    changes = data.changes()
    participants = changes.pop("participants", None)
    _check(session, changed_copy(event, changes))
    if participants is not None:
        _check_participants(session, participants)


def delete_event(session: Session, event_id: int, reach: Reach = NATIONAL) -> None:
    event = event_for_write(session, event_id, reach)
    refuse_if_referenced(session, f"Event {event_id}", event_id, [("vacancies", Vacancy.event_id)])
    with keeping_figures(session, events_touch(event.participants, event.id)):
        session.delete(event)
