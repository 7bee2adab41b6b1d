import datetime as dt

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor: str | None
    actor_name: str | None
    role: str | None
    province: str | None
    university_code: str | None
    action: str
    resource: str
    resource_id: str | None
    outcome: str
    status: int
    request_id: str
    client: str | None
    method: str
    path: str
    detail: str | None
