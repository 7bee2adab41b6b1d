from typing import Annotated

from fastapi import APIRouter, Query, status

from app.core.db import SessionDep
from app.core.pagination import Page, PageDep
from app.core.schemas import NameFragment
from app.employers import service
from app.employers.models import Ownership
from app.employers.schemas import EmployerCreate, EmployerRead, EmployerUpdate
from app.reference.codes import IndustryCode, ProvinceCode, Uscc

router = APIRouter(prefix="/employers", tags=["employers"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EmployerRead)
def create_employer(body: EmployerCreate, session: SessionDep):
    return service.create_employer(session, body)


@router.get("", response_model=Page[EmployerRead])
def list_employers(
    session: SessionDep,
    page: PageDep,
    province: Annotated[ProvinceCode | None, Query()] = None,
    industry: Annotated[IndustryCode | None, Query()] = None,
    ownership: Annotated[Ownership | None, Query()] = None,
    name: Annotated[
        NameFragment | None, Query(description="Part of the name, case-insensitive.")
    ] = None,
):
    return service.list_employers(
        session, page, province=province, industry=industry, ownership=ownership, name=name
    )


@router.get("/{uscc}", response_model=EmployerRead)
def get_employer(uscc: Uscc, session: SessionDep):
    return service.get_employer(session, uscc)


@router.patch("/{uscc}", response_model=EmployerRead)
def update_employer(uscc: Uscc, body: EmployerUpdate, session: SessionDep):
    return service.update_employer(session, uscc, body)


@router.delete("/{uscc}", status_code=status.HTTP_204_NO_CONTENT)
def delete_employer(uscc: Uscc, session: SessionDep) -> None:
    service.delete_employer(session, uscc)
