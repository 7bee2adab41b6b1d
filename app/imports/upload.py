"""Receiving a ledger upload (multipart/form-data) straight to disk, counting as it comes, so
that an oversized file is refused (413) before it is read whole and nothing is held in memory."""

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import Field, File, FormParser, parse_options_header

from app.core.errors import InvalidInput, Problem, TooLarge


class UnsupportedUpload(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported upload"


@dataclass
class Upload:
    path: Path
    filename: str
    sha256: str
    size: int
    fields: dict[str, str] = field(default_factory=dict)


def refuse_announced_size(content_length: str | None, limit: int) -> None:
    if content_length and content_length.isdigit() and int(content_length) > limit:
        raise TooLarge(
            f"The upload ({int(content_length):,} bytes) is over {limit:,} bytes.", field="file"
        )


async def receive(
    content_type: str | None, chunks: AsyncIterator[bytes], folder: Path, limit: int
) -> Upload:
    """The one file of a multipart body (its part named `file`) and its form fields."""
    kind, options = parse_options_header(content_type or "")
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise UnsupportedUpload(
            "Send the ledger as multipart/form-data, the file in a part named 'file'.",
            field="file",
        )
    folder.mkdir(parents=True, exist_ok=True)
    files: list[File] = []
    fields: dict[str, str] = {}

    def on_field(part: Field) -> None:
        name = (part.field_name or b"").decode(errors="replace")
        fields[name] = (part.value or b"").decode("utf-8", errors="replace")

    config = {"MAX_MEMORY_FILE_SIZE": 0, "UPLOAD_DIR": str(folder), "UPLOAD_DELETE_TMP": False}
    parser = FormParser(
        "multipart/form-data", on_field, files.append, boundary=options[b"boundary"], config=config
    )
    digest, size = hashlib.sha256(), 0
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"The upload is over {limit:,} bytes.", field="file")
            parser.write(chunk)
        parser.finalize()
    except Exception:
        _discard(files)
        raise
    uploads = [f for f in files if f.field_name == b"file"]
    if len(uploads) != 1:
        _discard(files)
        raise InvalidInput("Send exactly one file, in a part named 'file'.", field="file")
    _discard([f for f in files if f.field_name != b"file"])
    upload = uploads[0]
    path = folder / f"{uuid.uuid4().hex}.upload"
    if upload.in_memory:  # an empty file never reached the disk
        path.write_bytes(upload.file_object.getvalue())
        upload.close()
    else:
        upload.close()
        Path(upload.actual_file_name.decode()).rename(path)
    with path.open("rb") as stored:
        while block := stored.read(1024**2):
            digest.update(block)
    # Only shown back, so a NUL (which PostgreSQL cannot keep) is dropped, not refused.
    name = (upload.file_name or b"ledger").decode("utf-8", errors="replace").replace("\x00", "")
    name = name or "ledger"
    return Upload(path, name, digest.hexdigest(), path.stat().st_size, fields)


def _discard(files: list[File]) -> None:
    for part in files:
        part.close()
        if part.actual_file_name:
            Path(part.actual_file_name.decode()).unlink(missing_ok=True)
