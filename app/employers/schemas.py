from pydantic import BaseModel, ConfigDict

from app.core.schemas import InputModel, Name, PatchModel
from app.employers.models import EmployerSize, Ownership
from app.reference.codes import IndustryCode, ProvinceCode, Uscc


class EmployerCreate(InputModel):
    uscc: Uscc
    name: Name
    industry: IndustryCode
    province: ProvinceCode
    ownership: Ownership | None = None
    size: EmployerSize | None = None


class EmployerUpdate(PatchModel):
    """The 统一社会信用代码 is the employer's identity and cannot change."""

    nullable = frozenset({"ownership", "size"})

    name: Name | None = None
    industry: IndustryCode | None = None
    province: ProvinceCode | None = None
    ownership: Ownership | None = None
    size: EmployerSize | None = None


class EmployerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    uscc: str
    name: str
    industry: str
    province: str
    ownership: Ownership | None
    size: EmployerSize | None
