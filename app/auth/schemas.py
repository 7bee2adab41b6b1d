from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.auth.principal import Role
from app.core.schemas import InputModel, Name, UtcDateTime, refuse_nul
from app.reference.codes import ProvinceCode, UniversityCode

Username = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, min_length=2, max_length=64, pattern=r"^[\w.@-]+$"
    ),
]
# Long enough to resist guessing; argon2 hashes any length, but a cap keeps hashing cheap.
Password = Annotated[str, Field(min_length=10, max_length=128)]


class LoginRequest(InputModel):
    # Looked up in the database, so never NUL (PostgreSQL refuses it): a 422, not a 500.
    username: Annotated[str, Field(min_length=1, max_length=64), AfterValidator(refuse_nul)]
    password: Annotated[str, Field(min_length=1, max_length=128)]


class LoginToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class GrantIn(InputModel):
    """A role, and its reach: `province` for a province's role, `university_code` for a
    university's (its province follows); neither for national. A reader may have either."""

    role: Role
    province: ProvinceCode | None = None
    university_code: UniversityCode | None = None


_MAY_REVEAL = (
    "May see graduates' full ID numbers and phones, one graduate at a time, each time audited "
    "with a reason. Only for a university's accounts."
)


class AccountCreate(GrantIn):
    username: Username
    password: Password
    may_reveal_personal_data: bool = Field(default=False, description=_MAY_REVEAL)


class AccountUpdate(InputModel):
    password: Password | None = None
    disabled: bool | None = None
    may_reveal_personal_data: bool | None = Field(default=None, description=_MAY_REVEAL)


class GrantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    role: Role
    province: str | None
    university_code: str | None
    created_at: UtcDateTime
    created_by: str


class AccountRead(GrantOut):
    id: int
    username: str
    disabled_at: UtcDateTime | None
    may_reveal_personal_data: bool


class TokenCreate(GrantIn):
    name: Name


class TokenRead(GrantOut):
    id: int
    name: str
    last_used_at: UtcDateTime | None
    revoked_at: UtcDateTime | None


class TokenCreated(TokenRead):
    token: str = Field(description="Shown this once: only its hash is kept.")


class Me(BaseModel):
    kind: str
    id: int
    name: str
    role: Role
    province: str | None
    university_code: str | None
    may_reveal_personal_data: bool
