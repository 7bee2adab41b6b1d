from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core import epochs
from app.core.db import Base


class University(Base):
    __epoch__ = epochs.FIGURES
    __tablename__ = "universities"

    code: Mapped[str] = mapped_column(String(10), primary_key=True, comment="学校标识码")
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(2), index=True, comment="GB/T 2260 prefix")
