import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import epochs
from app.core.db import Base


class Campaign(Base):
    __epoch__ = epochs.FIGURES
    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="RESTRICT"), index=True
    )

    previous_campaign: Mapped["Campaign | None"] = relationship(remote_side=[id], lazy="joined")

    @property
    def previous(self) -> str | None:
        return self.previous_campaign.slug if self.previous_campaign else None
