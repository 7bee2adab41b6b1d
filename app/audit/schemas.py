from pydantic import BaseModel, ConfigDict

from app.core.schemas import UtcDateTime


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: UtcDateTime
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
