from typing import Annotated

from fastapi import APIRouter, Query, status

from app.core.db import SessionDep
from app.core.filters import DateRangeDep
from app.core.pagination import Page, PageDep
from app.core.paths import IdPath
from app.reference.codes import ProvinceCode, UniversityCode, Uscc
from app.visits import service
from app.visits.models import LeaderLevel
from app.visits.schemas import VisitCreate, VisitRead, VisitUpdate

router = APIRouter(prefix="/visits", tags=["visits"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VisitRead)
def create_visit(body: VisitCreate, session: SessionDep):
    return service.create_visit(session, body)


@router.get("", response_model=Page[VisitRead])
def list_visits(
    session: SessionDep,
    page: PageDep,
    dates: DateRangeDep,
    province: Annotated[
        ProvinceCode | None, Query(description="The university's province.")
    ] = None,
    university_code: Annotated[UniversityCode | None, Query()] = None,
    employer_uscc: Annotated[Uscc | None, Query()] = None,
    leader_level: Annotated[LeaderLevel | None, Query()] = None,
):
    """Visits, oldest record first; `from`/`to` bound the visit date."""
    return service.list_visits(
        session,
        page,
        dates=dates,
        province=province,
        university_code=university_code,
        employer_uscc=employer_uscc,
        leader_level=leader_level,
    )


@router.get("/{visit_id}", response_model=VisitRead)
def get_visit(visit_id: IdPath, session: SessionDep):
    return service.get_visit(session, visit_id)


@router.patch("/{visit_id}", response_model=VisitRead)
def update_visit(visit_id: IdPath, body: VisitUpdate, session: SessionDep):
    return service.update_visit(session, visit_id, body)


@router.delete("/{visit_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_visit(visit_id: IdPath, session: SessionDep) -> None:
    service.delete_visit(session, visit_id)
