from pydantic import BaseModel, ConfigDict

from app.core.schemas import UtcDateTime
from app.imports.models import ImportStatus


class RowProblem(BaseModel):
    row: int
    column: str | None
    value: str | None
    reason: str
    reason_en: str


class ImportJobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    filename: str
    sheet: str | None
    status: ImportStatus
    rows_read: int
    rows_written: int
    rows_present: int
    error_count: int
    errors: list[RowProblem]
    message: str | None
    created_at: UtcDateTime
    finished_at: UtcDateTime | None
    # The error sheet (GET /imports/{id}/errors) of a rejected job, while its file is kept.
    errors_url: str | None = None
