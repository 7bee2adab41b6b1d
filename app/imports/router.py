from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from app.core.db import SessionDep, SessionFactoryDep
from app.core.errors import NotFound
from app.core.paths import IdPath
from app.core.settings import get_settings
from app.imports import service, templates
from app.imports.schemas import ImportJobRead
from app.imports.upload import receive, refuse_announced_size

router = APIRouter(prefix="/imports", tags=["imports"])

IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportJobRead,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "kind"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "kind": {"type": "string", "enum": list(service.IMPORTABLE)},
                            "sheet": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
async def create_import(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    factory: SessionFactoryDep,
    idempotency_key: IdempotencyKey = None,
):
    """Import a ledger (.xlsx or CSV) of `kind`: 202 with the new job, which reads and writes
    the file after the answer (poll it); 200 with the earlier job when this file, or this
    Idempotency-Key, was sent before. A file that cannot be a ledger is refused at once."""
    settings = get_settings()
    refuse_announced_size(request.headers.get("content-length"), settings.max_upload_bytes)
    upload = await receive(
        request.headers.get("content-type"),
        request.stream(),
        settings.import_dir,
        settings.max_upload_bytes,
    )
    job, created = await run_in_threadpool(service.accept_upload, factory, upload, idempotency_key)
    response.headers["Location"] = f"{request.url.path}/{job.id}"
    if created:
        background.add_task(service.run_and_discard, factory, job.id, upload.path)
    else:
        response.status_code = status.HTTP_200_OK
    return job


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/templates/{kind}.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The blank ledger."}},
)
def get_template(kind: str):
    """A blank ledger of `kind`: Chinese headers (required ones shaded), an example row, and
    drop-down lists of the accepted values."""
    content = templates.template(service.check_kind(kind, location="path"))
    disposition = f"attachment; filename*=UTF-8''{kind}-template.xlsx"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get("/{job_id}", response_model=ImportJobRead)
def get_import(job_id: IdPath, session: SessionDep):
    job = service.get_job(session, job_id)
    if job is None:
        raise NotFound(f"No import job {job_id}.")
    return job
