"""Cooperation intents and their follow-up. A university records its own; a province's
department those of its universities; national staff any. An intent's first step (意向) is its
session's day; then 签约 and 落地, each on a day no earlier than the step before."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.ownership import owning_university
from app.auth.principal import Principal, Reach
from app.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound
from app.core.pagination import PageParams, paginate
from app.matchmaking.kept import Touched, keeping
from app.matchmaking.models import (
    STATUS_ORDER,
    CooperationIntent,
    IntentStatus,
    IntentStep,
    IntentType,
)
from app.matchmaking.schemas import IntentCreate, StepCreate
from app.matchmaking.service import get_session, require_field
from app.stats import locks
from app.universities.models import University
from app.universities.service import require_university


def _university(session: Session, data: IntentCreate, who: Principal | None) -> University:
    code = data.university_code
    if who is not None and who.reach.university is not None:
        code = owning_university(who, code)
    if code is None:
        raise InvalidInput("Give the university that reached the intent.", field="university_code")
    university = require_university(session, code)
    if who is not None and not who.reach.covers_university(code, university.province):
        raise Forbidden(
            f"University {code} is not in province {who.reach.province}: its intents are its "
            "own or its province's to record.",
            field="university_code",
        )
    return university


def create_intent(session: Session, data: IntentCreate, who: Principal | None) -> CooperationIntent:
    """`who` None (the demo loader): as given."""
    at = _university(session, data, who)
    university = at.code
    # The sessions the university reads: the Ministry's, its province's, those it took part in.
    meeting = get_session(session, data.session_id, Reach(at.province, university))
    if university not in meeting.university_codes:
        raise InvalidInput(
            f"University {university} did not take part in session {meeting.id}.",
            field="university_code",
        )
    if data.employer_uscc not in meeting.employer_usccs:
        raise InvalidInput(
            f"Employer {data.employer_uscc} did not take part in session {meeting.id}.",
            field="employer_uscc",
        )
    intent = CooperationIntent(
        session_id=meeting.id,
        university_code=university,
        employer_uscc=data.employer_uscc,
        type=data.type,
        field_code=require_field(session, data.field, "field")
        or meeting.field_of(data.employer_uscc),
        summary=data.summary,
        held_on=meeting.held_on,
        province=meeting.province,
    )
    intent.steps.append(IntentStep(status=IntentStatus.INTENDED, as_of=meeting.held_on))
    with keeping(session, Touched(), lambda: Touched(intents={intent.id})):
        session.add(intent)
    return intent


def _within(reach: Reach) -> list:
    if reach.university is not None:
        return [CooperationIntent.university_code == reach.university]
    if reach.province is not None:
        return [University.province == reach.province]
    return []


def intents_query(
    reach: Reach,
    *,
    session_id: int | None = None,
    university: str | None = None,
    type: IntentType | None = None,
):
    query = (
        select(CooperationIntent)
        .join(University, University.code == CooperationIntent.university_code)
        .where(*_within(reach))
    )
    for column, value in (
        (CooperationIntent.session_id, session_id),
        (CooperationIntent.university_code, university),
        (CooperationIntent.type, type),
    ):
        if value is not None:
            query = query.where(column == value)
    return query.order_by(CooperationIntent.id)


def list_intents(session: Session, page: PageParams, reach: Reach, **filters) -> dict:
    return paginate(session, intents_query(reach, **filters), page)


def get_intent(
    session: Session, intent_id: int, reach: Reach, *, lock: dict | None = None
) -> CooperationIntent:
    query = intents_query(reach).where(CooperationIntent.id == intent_id)
    if lock is not None:
        query = query.with_for_update(of=CooperationIntent, **lock)
        query = query.execution_options(populate_existing=True)
    intent = session.scalar(query)
    if intent is None:
        raise NotFound(f"No cooperation intent {intent_id} within this token's reach.")
    return intent


def _keep_days(intent: CooperationIntent) -> None:
    """The days of its steps, as the intent keeps them for the figures."""
    days = {step.status: step.as_of for step in intent.steps}
    intent.signed_on = days.get(IntentStatus.SIGNED)
    intent.landed_on = days.get(IntentStatus.LANDED)


def current_intent(
    session: Session, intent_id: int, reach: Reach, lock: dict = locks.ROW_UPDATE
) -> CooperationIntent:
    """The intent and its steps as a write must see them: read afresh as the one writer of the
    kept figures (its lock first, then the row's, in the order every writer takes them)."""
    locks.write(session)
    return get_intent(session, intent_id, reach, lock=lock)


def delete_intent(session: Session, intent_id: int, who: Principal) -> None:
    intent = current_intent(session, intent_id, who.reach, locks.ROW_DELETE)
    with keeping(session, Touched(intents={intent_id})):
        session.delete(intent)


def add_step(
    session: Session, intent_id: int, data: StepCreate, who: Principal | None
) -> IntentStep:
    """The next step of an intent (签约, then 落地), on a day no earlier than the last."""
    intent = current_intent(session, intent_id, who.reach if who else Reach())
    if any(step.status == data.status for step in intent.steps):
        raise AlreadyExists(
            f"Intent {intent_id} reached {data.status.value} already; delete that step to "
            "correct it.",
            field="status",
        )
    last = intent.steps[-1]
    if STATUS_ORDER.index(data.status) != STATUS_ORDER.index(last.status) + 1:
        raise InvalidInput(
            f"Intent {intent_id} stands at {last.status.value}: its next step is "
            f"{STATUS_ORDER[STATUS_ORDER.index(last.status) + 1].value}.",
            field="status",
        )
    if data.as_of < last.as_of:
        raise InvalidInput(
            f"Intent {intent_id} reached {last.status.value} on {last.as_of}; its next step "
            "cannot come before.",
            field="as_of",
        )
    step = IntentStep(status=data.status, as_of=data.as_of)
    with keeping(session, Touched(intents={intent_id})):
        intent.steps.append(step)
        _keep_days(intent)
    return step


def delete_step(session: Session, intent_id: int, step_id: int, who: Principal) -> None:
    """An intent's last step, to correct it; its first (意向) goes with the intent."""
    intent = current_intent(session, intent_id, who.reach)
    step = next((step for step in intent.steps if step.id == step_id), None)
    if step is None:
        raise NotFound(f"Intent {intent_id} has no step {step_id}.")
    if step.status == IntentStatus.INTENDED:
        raise Conflict(f"Step {step_id} is intent {intent_id}'s first: delete the intent.")
    if step is not intent.steps[-1]:
        raise Conflict(f"Intent {intent_id} went further than step {step_id}: delete that first.")
    with keeping(session, Touched(intents={intent_id})):
        intent.steps.remove(step)
        _keep_days(intent)
