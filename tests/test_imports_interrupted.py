"""An import whose process is killed mid-file writes nothing; once the job is found stopped,
the same file can be sent again and is imported whole."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import Base
from app.employers.models import Employer
from app.imports import service
from app.imports.bulk import insert_rows
from app.imports.models import ImportJob
from app.universities.models import University
from app.vacancies.models import Vacancy
from tests import factories as f
from tests.test_imports_bulk import defined_keys, table_keys

ROWS = 100_000
EMPLOYERS = [f.make_uscc(8000 + n, "11") for n in range(50)]


def _ledger(path) -> None:
    lines = ["统一社会信用代码,岗位名称,招聘人数,发布日期,岗位来源,学校标识码,台账编号"]
    for n in range(ROWS):
        day = dt.date(2023, 5, 1) + dt.timedelta(days=n % 100)
        lines.append(f"{EMPLOYERS[n % 50]},工程师{n % 9},{1 + n % 4},{day},就业平台,{f.PKU},R{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _registered(engine: Engine) -> None:
    with Session(engine) as session:
        insert_rows(
            session, University.__table__, ("code", "name", "province"), [(f.PKU, "北京大学", "11")]
        )
        rows = [(uscc, f"单位{n}", "I", "11") for n, uscc in enumerate(EMPLOYERS)]
        insert_rows(session, Employer.__table__, ("uscc", "name", "industry", "province"), rows)
        session.commit()


def _running_job(factory: sessionmaker[Session], process: subprocess.Popen) -> int:
    for _ in range(600):
        with factory() as session:
            job = session.scalar(select(ImportJob))
        if job is not None:
            return job.id
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("the import never started")


def test_a_killed_import_writes_nothing_and_the_file_can_be_sent_again(committing_engine, tmp_path):
    factory = sessionmaker(committing_engine, expire_on_commit=False)
    _registered(committing_engine)
    path = tmp_path / "vacancies.csv"
    _ledger(path)
    url = committing_engine.url.render_as_string(hide_password=False)
    command = [
        sys.executable,
        "-c",
        "from app.cli import main; main()",
        "import",
        "vacancies",
        str(path),
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        job_id = _running_job(factory, process)
        time.sleep(0.5)  # mid-file
        assert process.poll() is None, "the import ended before it could be killed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    try:
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(Vacancy)) == 0
            assert session.get(ImportJob, job_id).status == "running"
            assert table_keys(session) == defined_keys()  # restored by the rollback
        # Its process is gone, and its lease with it: the file may be sent again at once.
        job, lease = service.start_from_file(factory, "vacancies", path)
        assert lease is not None and job.id != job_id
        done = service.run_leased(factory, job.id, path, lease)
        assert (done.status, done.rows_written) == ("succeeded", ROWS)
        with factory() as session:
            assert session.get(ImportJob, job_id).status == "interrupted"
            assert session.scalar(select(func.count()).select_from(Vacancy)) == ROWS
    finally:
        with committing_engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
