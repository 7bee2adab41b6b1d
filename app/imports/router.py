from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from app.audit.service import RequestInfo
from app.auth.dependencies import RecordReader, RecordWriter
from app.core.db import SessionDep, SessionFactoryDep
from app.core.paths import IdPath
from app.core.settings import get_settings
from app.imports import error_sheet, rejected, service, templates
from app.imports.exports import XLSX
from app.imports.models import ImportJob
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
    who: RecordWriter,
    idempotency_key: IdempotencyKey = None,
):
    """Import a ledger (.xlsx or CSV) of `kind`: 202 with the new job, which reads and writes
    the file after the answer (poll it: `queued` while it waits for a worker, then `running`); 200 with the earlier job when this file, or this
    Idempotency-Key, was sent before. A file that cannot be a ledger is refused at once, as is
    (403 naming `kind`) a kind the token may not import: universities but for national staff,
    visits from a province, policy positions and measures from a university. The rows must be within the token's reach: a university's are its
    own (学校标识码 blank, or its own), a province's its department's (no university, its own
    province); any other row is a bad row, and a bad row rejects the job. An employer already
    registered is left as it is unless national staff send it."""
    settings = get_settings()
    refuse_announced_size(request.headers.get("content-length"), settings.max_upload_bytes)
    upload = await receive(
        request.headers.get("content-type"),
        request.stream(),
        settings.import_dir,
        settings.max_upload_bytes,
    )
    job, created, lease = await run_in_threadpool(
        service.accept_upload, factory, upload, idempotency_key, who, RequestInfo.of(request)
    )
    response.headers["Location"] = f"{request.url.path}/{job.id}"
    if lease is not None:
        background.add_task(service.run_and_discard, factory, job.id, upload.path, lease)
    if not created:
        response.status_code = status.HTTP_200_OK
    return _shown(request, job)


def _shown(request: Request, job: ImportJob) -> ImportJobRead:
    """The job, with where its error sheet is while its rejected file is kept."""
    shown = ImportJobRead.model_validate(job)
    if rejected.sheet_file(job) is not None:
        shown.errors_url = request.app.url_path_for("get_import_errors", job_id=str(job.id))
    return shown


@router.get(
    "/templates/{kind}.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The blank ledger."}},
)
def get_template(kind: str, who: RecordReader, session: SessionDep):
    """A blank ledger of `kind`: Chinese headers (required ones shaded: a university need not
    give its own 学校标识码), an example row, and drop-down lists of the accepted values."""
    content = templates.template(session, service.check_kind(kind, location="path"), who.reach)
    disposition = f"attachment; filename*=UTF-8''{kind}-template.xlsx"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get("/{job_id}", response_model=ImportJobRead)
def get_import(
    job_id: IdPath,
    session: SessionDep,
    factory: SessionFactoryDep,
    request: Request,
    who: RecordWriter,
):
    """The job: running, succeeded, rejected (its bad rows listed), failed or interrupted
    (nothing written: the same file may be sent again)."""
    return _shown(request, service.get_job(session, job_id, who.reach, factory))


@router.get(
    "/{job_id}/errors",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX: {}, "text/csv": {}},
            "description": "The ledger as it was sent, with the column 错误原因 / Errors.",
        },
        404: {"description": "No such job."},
        409: {"description": "The job was not rejected."},
        410: {
            "description": "The job's file is no longer kept (or, before its time, not found "
            "where this server looks: IMPORT_DIR not shared)."
        },
    },
)
def get_import_errors(
    job_id: IdPath,
    session: SessionDep,
    factory: SessionFactoryDep,
    who: RecordWriter,
    only_errors: Annotated[
        bool, Query(description="Only the header and the bad rows (for very large files).")
    ] = False,
):
    """The error sheet of a rejected import: the file as it was sent (.xlsx or CSV, and so
    answered) with a column at the right giving each bad row's errors, blank on good rows.
    Every bad row is marked, not only the first 1,000 the job lists; the file is checked again
    as it streams. Kept IMPORT_KEEP_REJECTED_DAYS days (then 410); 409 unless rejected."""
    return error_sheet.download(session, factory, job_id, who.reach, only_errors)
