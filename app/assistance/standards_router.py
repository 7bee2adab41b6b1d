from fastapi import APIRouter, status

from app.assistance import standards
from app.assistance.schemas import StandardRead, StandardWrite
from app.audit.writes import WriteDep
from app.auth.dependencies import Administrator, Anyone
from app.core.db import SessionDep
from app.reference.codes import ProvinceCode
from app.reference.data import PROVINCES

router = APIRouter(prefix="/assistance-standards", tags=["assistance"])


@router.get("", response_model=list[StandardRead])
def list_standards(session: SessionDep, who: Anyone):
    """Every province's service standard; those that set none have the default, Hunan's
    一次单独咨询、两次简历修改、三次就业推荐."""
    return [standards.shown(session, province) for province in PROVINCES]


@router.get("/{province}", response_model=StandardRead)
def get_standard(province: ProvinceCode, session: SessionDep, who: Anyone):
    return standards.shown(session, province)


@router.put("/{province}", response_model=StandardRead)
def set_standard(
    province: ProvinceCode,
    body: StandardWrite,
    session: SessionDep,
    who: Administrator,
    write: WriteDep,
):
    """The province's own standard (replacing its previous one): the Ministry's staff or the
    province's own. Its graduates are judged by it at once."""

    def replace() -> dict:
        standards.replace_standard(session, province, body.minimums, who)
        return standards.shown(session, province)

    return write.respond(session, replace)


@router.delete("/{province}", status_code=status.HTTP_204_NO_CONTENT)
def reset_standard(
    province: ProvinceCode, session: SessionDep, who: Administrator, write: WriteDep
):
    """The province goes back to the default standard."""
    return write.respond(session, lambda: standards.reset_standard(session, province, who))
