from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core import epochs
from app.core.db import Base
from app.core.enums import LabelledEnum, enum_type


class Ownership(LabelledEnum):
    STATE = "state", "国有企业"
    PRIVATE = "private", "民营企业"
    FOREIGN = "foreign", "外资企业"
    PUBLIC_INSTITUTION = "public_institution", "机关事业单位"
    OTHER = "other", "其他"


class EmployerSize(LabelledEnum):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class Employer(Base):
    __epoch__ = epochs.FIGURES
    __tablename__ = "employers"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True, comment="统一社会信用代码")
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(1), index=True, comment="GB/T 4754-2017 section")
    province: Mapped[str] = mapped_column(String(2), index=True, comment="GB/T 2260 prefix")
    ownership: Mapped[Ownership | None] = mapped_column(enum_type(Ownership, "ownership"))
    size: Mapped[EmployerSize | None] = mapped_column(enum_type(EmployerSize, "size"))
