from fastapi import APIRouter
from sqlalchemy import select

from app.assistance.models import DifficultyGroup
from app.assistance.schemas import GroupRead
from app.auth.dependencies import Anyone
from app.core.db import SessionDep
from app.reference.data import INDUSTRIES, PROVINCE_SHORT_NAMES, PROVINCES
from app.reference.schemas import IndustryRead, ProvinceRead

router = APIRouter(prefix="/reference", tags=["reference"])


@router.get("/provinces", response_model=list[ProvinceRead])
def list_provinces(who: Anyone) -> list[ProvinceRead]:
    """The 34 province-level divisions of GB/T 2260, in the standard's order."""
    return [
        ProvinceRead(code=code, name=name, short_name=PROVINCE_SHORT_NAMES[code])
        for code, name in PROVINCES.items()
    ]


@router.get("/difficulty-groups", response_model=list[GroupRead])
def list_difficulty_groups(session: SessionDep, who: Anyone):
    """The key groups (重点群体) a graduate in difficulty may belong to, several at once."""
    return session.scalars(select(DifficultyGroup).order_by(DifficultyGroup.position)).all()


@router.get("/industries", response_model=list[IndustryRead])
def list_industries(who: Anyone) -> list[IndustryRead]:
    """The 20 industry sections of GB/T 4754-2017."""
    return [IndustryRead(code=code, name=name) for code, name in INDUSTRIES.items()]
