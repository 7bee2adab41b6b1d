import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from app.core.schemas import InputModel, Name, PatchModel

# Upper case is accepted and folded: the pattern is matched before to_lower applies.
Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$",
        max_length=64,
    ),
]


class CampaignCreate(InputModel):
    slug: Slug
    name: Name
    start_date: dt.date
    end_date: dt.date
    previous: Slug | None = None


class CampaignUpdate(PatchModel):
    """The slug is the campaign's identity and cannot change."""

    nullable = frozenset({"previous"})

    name: Name | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    previous: Slug | None = None


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str
    start_date: dt.date
    end_date: dt.date
    previous: str | None
