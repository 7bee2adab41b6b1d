from pydantic import BaseModel, ConfigDict

from app.core.schemas import InputModel, Name, PatchModel
from app.reference.codes import ProvinceCode, UniversityCode


class UniversityCreate(InputModel):
    code: UniversityCode
    name: Name
    province: ProvinceCode


class UniversityUpdate(PatchModel):
    """The code is the university's identity and cannot change."""

    name: Name | None = None
    province: ProvinceCode | None = None


class UniversityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    province: str
