from typing import Annotated

from fastapi import APIRouter, Query, status

from app.audit.writes import WriteDep
from app.auth.dependencies import NationalOnly, RecordReader
from app.core.db import SessionDep
from app.core.pagination import Page, PageDep
from app.reference.codes import ProvinceCode, UniversityCode
from app.universities import service
from app.universities.schemas import UniversityCreate, UniversityRead, UniversityUpdate

router = APIRouter(prefix="/universities", tags=["universities"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UniversityRead)
def create_university(
    body: UniversityCreate, session: SessionDep, who: NationalOnly, write: WriteDep
):
    return write.respond(session, lambda: service.create_university(session, body))


@router.get("", response_model=Page[UniversityRead])
def list_universities(
    session: SessionDep,
    page: PageDep,
    who: RecordReader,
    province: Annotated[ProvinceCode | None, Query()] = None,
):
    return service.list_universities(session, page, province=province, reach=who.reach)


@router.get("/{code}", response_model=UniversityRead)
def get_university(code: UniversityCode, session: SessionDep, who: RecordReader):
    return service.get_university(session, code, who.reach)


@router.patch("/{code}", response_model=UniversityRead)
def update_university(
    code: UniversityCode,
    body: UniversityUpdate,
    session: SessionDep,
    who: NationalOnly,
    write: WriteDep,
):
    return write.respond(session, lambda: service.update_university(session, code, body))


@router.delete("/{code}", status_code=status.HTTP_204_NO_CONTENT)
def delete_university(
    code: UniversityCode, session: SessionDep, who: NationalOnly, write: WriteDep
):
    return write.respond(session, lambda: service.delete_university(session, code))
