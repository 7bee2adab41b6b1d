import datetime as dt
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
)

from app.core.schemas import InputModel, Name, PatchModel, refuse_nul
from app.publicity.cities import CITIES, normalise_city
from app.publicity.models import HolderKind, MeasureCategory, MeasureLevel, PublicityPlace
from app.publicity.search import fold
from app.reference.codes import ProvinceCode, UniversityCode, as_text
from app.stats.schemas import Ranged

CityCode = Annotated[str, BeforeValidator(as_text), AfterValidator(normalise_city)]
# Yuan; the largest measures lend millions (湖北省: 创业担保贷款最高500万元).
Amount = Annotated[int, Field(ge=0, le=10**12)]
AmountUnit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Link = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^https?://\S+$")
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=20_000), AfterValidator(refuse_nul)
]
Audience = Annotated[int, Field(ge=0, le=100_000_000)]


def _two_characters_or_more(value: str) -> str:
    # A single character has no bigram to look up (app/publicity/search.py).
    if len(fold(value)) < 2:
        raise ValueError("must hold at least 2 characters")
    return value


SearchText = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(refuse_nul),
    AfterValidator(_two_characters_or_more),
]

_MEASURE_REGION = (
    "A national measure has no province or city; a province's names its province (a "
    "province's token may leave it out); a city's names its city (6-digit GB/T 2260 code), "
    "whose province it is."
)


class MeasureCreate(InputModel):
    __doc__ = _MEASURE_REGION

    title: Name
    issuer: Name = Field(description="The body that published it (发布单位).")
    level: MeasureLevel
    province: ProvinceCode | None = None
    city: CityCode | None = None
    category: MeasureCategory
    amount: Amount | None = Field(None, description="Yuan: the most it gives (最高).")
    amount_unit: AmountUnit | None = Field(None, description="Per what: 每人, 每户…")
    published_on: dt.date
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    link: Link | None = None
    summary: Summary = Field("", description="Its text, or a summary of it.")


class MeasureUpdate(PatchModel):
    nullable = frozenset(
        {"province", "city", "amount", "amount_unit", "effective_from", "effective_to", "link"}
    )

    title: Name | None = None
    issuer: Name | None = None
    level: MeasureLevel | None = None
    province: ProvinceCode | None = None
    city: CityCode | None = None
    category: MeasureCategory | None = None
    amount: Amount | None = None
    amount_unit: AmountUnit | None = None
    published_on: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    link: Link | None = None
    summary: Summary | None = None


class MeasureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    issuer: str
    level: MeasureLevel
    province: str | None
    city: str | None
    category: MeasureCategory
    amount: int | None
    amount_unit: str | None
    published_on: dt.date
    effective_from: dt.date | None
    effective_to: dt.date | None
    link: str | None
    summary: str

    @computed_field
    def level_label(self) -> str:
        return self.level.label

    @computed_field
    def category_label(self) -> str:
        return self.category.label

    @computed_field
    def city_name(self) -> str | None:
        return CITIES.get(self.city) if self.city else None


class SessionCreate(InputModel):
    """A university's token records its own sessions (university_code may be left out); a
    province's token its department's (no university; its province). `holder` may be left out
    for the national committee and for a university (its name)."""

    held_on: dt.date
    title: Name
    holder_kind: HolderKind
    holder: Name | None = None
    province: ProvinceCode | None = Field(None, description="None: a national session.")
    university_code: UniversityCode | None = None
    place: PublicityPlace
    audience: Audience = 0


class SessionUpdate(PatchModel):
    nullable = frozenset({"province", "university_code"})

    held_on: dt.date | None = None
    title: Name | None = None
    holder_kind: HolderKind | None = None
    holder: Name | None = None
    province: ProvinceCode | None = None
    university_code: UniversityCode | None = None
    place: PublicityPlace | None = None
    audience: Audience | None = None


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    held_on: dt.date
    title: str
    holder_kind: HolderKind
    holder: str
    province: str | None
    university_code: str | None
    place: PublicityPlace
    audience: int

    @computed_field
    def place_label(self) -> str:
        return self.place.label


class PublicityFigures(BaseModel):
    """Measures in force in the range (published by its end, not expired before its start),
    by level; `provinces`: provinces with a province-level measure; `cities`: cities with a
    city-level measure. Sessions held in the range, and their audience (人次)."""

    measures: int
    national_measures: int
    province_measures: int
    city_measures: int
    provinces: int
    cities: int
    sessions: int
    audience: int


class PublicityRow(BaseModel):
    """A group's measures; its sessions and audience by province only (null otherwise)."""

    key: str | None
    label: str
    measures: int
    provinces: int
    cities: int
    sessions: int | None
    audience: int | None


class PublicityAnswer(Ranged):
    filters: dict[str, str | None]
    figures: PublicityFigures
    by: str | None
    rows: list[PublicityRow]
