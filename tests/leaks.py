"""A scan for personal data leaking out: every full ID number and phone the tests make (the
factories register them) is looked for in everything the test run produces — each HTTP answer
(the in-process app's and the served one's; .xlsx answers unzipped), every log record, the
served app's log, and every row of the test's database after a test that made any — and a
test whose products hold one fails. Only a reveal's answer may hold them."""

import io
import logging
import re
import zipfile

from sqlalchemy import Connection, select

from app.core.db import Base

SENSITIVE: set[str] = set()
_CANDIDATE = re.compile(r"\d{17}[\dX]|1[3-9]\d{9}")
# The answers meant to hold full numbers: a reveal, and a ledger exported with
# full_numbers=true (app/assistance/reveal.py, app/imports/assisted_exports.py).
_MAY_HOLD = re.compile(
    r"/assisted-graduates/\d+/reveal$"
    r"|/(?:assisted-graduates|assistance-services)/export\?(?:[^#]*&)?full_numbers=true(?:&|$)"
)


class Leaks:
    def __init__(self) -> None:
        self.found: list[str] = []

    def scan(self, where: str, text: str) -> None:
        if not SENSITIVE:
            return
        for candidate in set(_CANDIDATE.findall(text)):
            if candidate in SENSITIVE:
                self.found.append(f"{where}: {candidate[:3]}…{candidate[-2:]}")

    def scan_bytes(self, where: str, content: bytes) -> None:
        if content.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(content)) as workbook:
                content = b"".join(workbook.read(name) for name in workbook.namelist())
        self.scan(where, content.decode("utf-8", "replace"))
        if not content.isascii():
            self.scan(where, content.decode("gb18030", "replace"))

    def scan_database(self, where: str, connection: Connection) -> None:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                self.scan(f"{where} table {table.name}", " ".join(map(str, row)))

    def take(self) -> list[str]:
        found, self.found = self.found, []
        return found


LEAKS = Leaks()


def register(value: str) -> str:
    SENSITIVE.add(value)
    return value


def watch_responses(client_class) -> None:
    """Scan every answer `client_class` (httpx's Client) receives."""
    send = client_class.send

    def scanned_send(self, request, *args, **kwargs):
        response = send(self, request, *args, **kwargs)
        if not kwargs.get("stream") and not _MAY_HOLD.search(request.url.raw_path.decode()):
            where = f"answer to {request.method} {request.url.path}"
            LEAKS.scan_bytes(where, response.read())
            LEAKS.scan(where, str(response.headers))
        return response

    client_class.send = scanned_send


class LogScan(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        LEAKS.scan(f"log {record.name}", self.format(record))
