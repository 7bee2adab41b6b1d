"""The `jobfair` command: serve the API, load demo data, migrate the database."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from app.core.db import get_engine, get_sessionmaker
from app.core.migrations import upgrade_to_head
from app.core.settings import get_settings

cli = typer.Typer(help="jobfair: records and statistics of graduate-employment campaigns.")
console = Console()


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema to the latest migration."""
    upgrade_to_head()
    console.print(f"Database at {_shown_url()} is up to date.")


@cli.command()
def demo() -> None:
    """Load the demo campaign (2023 百日冲刺, with 2022 to compare) unless it is loaded already."""
    from app.auth.schemas import TokenCreate
    from app.auth.service import create_token
    from app.demo.loader import demo_loaded, load_demo

    upgrade_to_head()
    with get_sessionmaker()() as session:
        if demo_loaded(session):
            console.print(
                "The demo campaign is loaded already; nothing to do. "
                "(`jobfair token create --role national --name admin` makes a token.)"
            )
            return
        with console.status("Loading the demo campaign…"):
            counts = load_demo(session)
            token, secret = create_token(session, None, TokenCreate(name="demo", role="national"))
            session.commit()
    listed = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    console.print(f"Loaded into {_shown_url()}: {listed}.")
    console.print(f"A national API token (id {token.id}), shown this once:")
    print(secret)
    console.print(
        "Open /docs, press Authorize and paste it; or send 'Authorization: Bearer <token>'."
    )


@cli.command()
def generate(
    scale: float = typer.Option(
        1.0, min=0.0001, max=2.0, help="1.0 is the national 2023 campaign."
    ),
) -> None:
    """Generate the synthetic national campaign (2023, with 2022 as its previous) at a scale,
    through the bulk write path. Refuses when it has been generated into this database already."""
    from app.demo.national import SLUG, NationalCampaign, generated
    from app.stats.upkeep import settle

    upgrade_to_head()
    with get_sessionmaker()() as session:
        if generated(session):
            console.print(f"Campaign {SLUG} exists already here; use a fresh database.")
            raise typer.Exit(code=1)
        started = time.perf_counter()
        counts = NationalCampaign(session, scale, progress=console.log).generate()
        session.commit()
    settle(get_engine())
    listed = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    elapsed = time.perf_counter() - started
    console.print(f"Generated at scale {scale} into {_shown_url()} in {elapsed:.0f} s: {listed}.")


@cli.command()
def recount() -> None:
    """Recount every kept figure from the records (after loading data around the service)."""
    from app.assistance.kept import recount_everything
    from app.stats.rebuilding import RecountBlocked
    from app.stats.upkeep import rebuild, settle

    upgrade_to_head()
    with get_sessionmaker()() as session:
        started = time.perf_counter()
        try:
            rebuild(session, progress=console.log)
        except RecountBlocked as blocked:
            console.print(str(blocked))
            raise typer.Exit(code=1) from None
        recount_everything(session)
        session.commit()
    settle(get_engine())
    console.print(f"Recounted in {time.perf_counter() - started:.1f} s.")


@cli.command()
def fold() -> None:
    """Count bulk-loaded vacancies into the kept figures now (the server does it every few
    seconds; figures are exact before and after, folding keeps them fast)."""
    from app.stats.folding import fold_all

    upgrade_to_head()
    started = time.perf_counter()
    counted = fold_all(get_sessionmaker())
    console.print(f"Counted {counted} pending vacancies in {time.perf_counter() - started:.1f} s.")


@cli.command("import")
def import_ledger(
    kind: str = typer.Argument(
        help="universities, employers, visits, events, event_participants, vacancies, "
        "assisted_graduates, assistance_services, policy_quotas, policy_progress, "
        "matchmaking_sessions, matchmaking_employers, cooperation_intents, policy_measures "
        "or publicity_sessions"
    ),
    file: Path = typer.Argument(exists=True, dir_okay=False, readable=True),
    sheet: str | None = typer.Option(None, help="The sheet of an .xlsx (default: the first)."),
) -> None:
    """Import a ledger (.xlsx or CSV in UTF-8 or GB18030/GBK), all or nothing, as POST
    /api/v1/imports does; the same file sent twice is imported once."""
    from app.core.errors import Problem
    from app.imports import service

    upgrade_to_head()
    factory = get_sessionmaker()
    try:
        job, lease = service.start_from_file(factory, kind, file, sheet)
    except Problem as problem:
        console.print(f"Refused: {problem.detail}")
        raise typer.Exit(code=2) from None
    if lease is None:
        console.print(f"This file was sent before: job {job.id}, {job.status.label}.")
        raise typer.Exit(code=0 if job.status == "succeeded" else 1)
    with _rows_progress(service.estimated_rows(file)) as advance:
        job = service.run_leased(factory, job.id, file, lease, progress=advance)
    _report(job)


@contextmanager
def _rows_progress(total: int | None) -> Iterator[Callable[[int], None]]:
    from rich.progress import (
        BarColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} rows, {task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    started = time.perf_counter()
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Importing", total=total, rate=0.0)

        def advance(rows_read: int) -> None:
            rate = rows_read / max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=rows_read, rate=rate)

        yield advance


def _report(job) -> None:
    console.print(
        f"Job {job.id}: {job.status.label} ({job.status.value}); {job.rows_read:,} rows read, "
        f"{job.rows_written:,} written, {job.rows_present:,} already present."
    )
    if job.message:
        console.print(job.message)
    for error in job.errors[:20]:
        console.print(f"  row {error['row']}, {error['column'] or '-'}: {error['reason']}")
    if job.error_count > 20:
        console.print(f"  … {job.error_count - 20:,} more")
    if job.status != "succeeded":
        raise typer.Exit(code=1)


token_cli = typer.Typer(help="API tokens: long-lived bearer tokens for machines and first setup.")
cli.add_typer(token_cli, name="token")
account_cli = typer.Typer(help="Accounts: people who sign in with a password.")
cli.add_typer(account_cli, name="account")

_ROLE_HELP = "national, province, university or reader"


def _validated(schema, **fields):
    from pydantic import ValidationError

    try:
        return schema.model_validate(fields)
    except ValidationError as invalid:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in invalid.errors()
        )
        console.print(f"Refused: {problems}")
        raise typer.Exit(code=2) from None


@contextmanager
def _refusals_exit() -> Iterator[None]:
    from app.core.errors import Problem

    try:
        yield
    except Problem as problem:
        console.print(f"Refused: {problem.detail}")
        raise typer.Exit(code=2) from None


@token_cli.command("create")
def token_create(
    role: str = typer.Option(..., help=_ROLE_HELP),
    name: str = typer.Option(..., help="What the token is for: 'admin', '大屏 of 广东省教育厅'."),
    province: str | None = typer.Option(None, help="The province of a province's token."),
    university: str | None = typer.Option(None, help="The 学校标识码 of a university's token."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print the token only."),
) -> None:
    """Make an API token (any role: this is how a fresh install gets its first, national, one).
    The token is printed once; only its hash is kept."""
    from app.auth import service
    from app.auth.schemas import TokenCreate

    grant = _validated(
        TokenCreate, name=name, role=role, province=province, university_code=university
    )
    upgrade_to_head()
    with _refusals_exit(), get_sessionmaker().begin() as session:
        token, secret = service.create_token(session, None, grant)
    if quiet:
        print(secret)
        return
    console.print(
        f"API token {token.id} ({token.role.value}, {token.reach.label}), named {name!r}:"
    )
    print(secret)
    console.print("Shown this once; send it as 'Authorization: Bearer <token>'.")


@token_cli.command("list")
def token_list() -> None:
    """The API tokens: id, role, reach, name, last used, revoked."""
    from sqlalchemy import select

    from app.auth.models import ApiToken

    upgrade_to_head()
    with get_sessionmaker()() as session:
        for token in session.scalars(select(ApiToken).order_by(ApiToken.id)):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            console.print(
                f"{token.id}\t{token.role.value}\t{token.reach.label}\t{token.name}\t"
                f"last used {used}\t{state}"
            )


@token_cli.command("revoke")
def token_revoke(
    token_id: int = typer.Argument(help="The token's id (jobfair token list)."),
) -> None:
    """Revoke an API token: it is refused from now on."""
    from app.auth import service

    upgrade_to_head()
    with _refusals_exit(), get_sessionmaker().begin() as session:
        service.revoke_token(session, None, token_id)
    console.print(f"API token {token_id} is revoked.")


@account_cli.command("create")
def account_create(
    username: str = typer.Option(...),
    role: str = typer.Option(..., help=_ROLE_HELP),
    province: str | None = typer.Option(None, help="The province of a province's account."),
    university: str | None = typer.Option(None, help="The 学校标识码 of a university's account."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
    ),
    may_reveal_personal_data: bool = typer.Option(
        False, help="A university's account only: may reveal graduates' full numbers (audited)."
    ),
) -> None:
    """Make an account for a person, who signs in at POST /api/v1/auth/login."""
    from app.auth import service
    from app.auth.schemas import AccountCreate

    data = _validated(
        AccountCreate,
        username=username,
        password=password,
        role=role,
        province=province,
        university_code=university,
        may_reveal_personal_data=may_reveal_personal_data,
    )
    upgrade_to_head()
    with _refusals_exit(), get_sessionmaker().begin() as session:
        account = service.create_account(session, None, data)
    console.print(
        f"Account {account.id} {account.username} ({account.role.value}, {account.reach.label})."
    )


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes."),
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate", help="Migrate first."),
) -> None:
    """Serve the API (docs at /docs)."""
    import uvicorn

    if migrate_first:
        upgrade_to_head()
    console.print(f"Serving {_shown_url()} on http://{host}:{port} (API docs at /docs).")
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=get_settings().access_log,
        # On SIGTERM requests in flight are given this long; running imports stop at once.
        timeout_graceful_shutdown=get_settings().shutdown_grace_seconds,
    )


@cli.command()
def worker(
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate", help="Migrate first."),
) -> None:
    """Run imports, folds and housekeeping for web instances started with
    BACKGROUND_WORK=worker (PostgreSQL), until SIGTERM or Ctrl+C. Run as many as needed."""
    import logging

    from app import worker as background
    from app.privacy.logs import install_log_scrubbing

    settings = get_settings()
    if not settings.database_url.startswith("postgresql"):
        console.print(
            "[red]jobfair worker needs a PostgreSQL DATABASE_URL:[/red] on SQLite the web "
            "process runs imports and folds itself (BACKGROUND_WORK=web)."
        )
        raise typer.Exit(2)
    if migrate_first:
        upgrade_to_head()
    install_log_scrubbing()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    console.print(f"Working for {_shown_url()} (imports from {settings.import_dir.resolve()}).")
    background.run(get_sessionmaker(), settings.fold_every_seconds)


@cli.command("nginx-config")
def nginx_config(
    backend: list[str] = typer.Option(
        ..., help="An instance's host:port (give each: --backend 10.0.0.11:8000 ...)."
    ),
    listen: str = typer.Option("80", help="nginx's listen directive (TLS is yours to add)."),
) -> None:
    """Print the nginx configuration that balances over the instances (for conf.d/)."""
    from app.core import nginx

    print(nginx.balancing(listen, backend), end="")


personal_data_cli = typer.Typer(
    help="Personal data of graduates in difficulty: keys, rotation, de-identification."
)
cli.add_typer(personal_data_cli, name="personal-data")


@personal_data_cli.command("new-key")
def personal_data_new_key() -> None:
    """Print a new random key for PERSONAL_DATA_KEYS (put it first to rotate it in)."""
    from app.privacy.keys import new_key

    print(new_key())


@personal_data_cli.command("rotate")
def personal_data_rotate() -> None:
    """Re-encrypt every stored ID number and phone under the first of PERSONAL_DATA_KEYS, and
    remake its lookup hash; then the other keys may be removed."""
    from app.assistance.upkeep import rotate_keys

    upgrade_to_head()
    with get_sessionmaker().begin() as session:
        rewritten = rotate_keys(session)
    console.print(f"{rewritten} graduates' personal data is now under the newest key.")


@personal_data_cli.command("deidentify")
def personal_data_deidentify(
    keep_years: int | None = typer.Option(
        None, min=1, help="Default PERSONAL_DATA_KEEP_YEARS: cohorts older are de-identified."
    ),
) -> None:
    """De-identify the graduates in difficulty of cohorts older than the years kept: names,
    ID numbers, phones and notes go; the figures stay."""
    from app.assistance.upkeep import deidentify_before, oldest_kept_cohort

    years = keep_years or get_settings().personal_data_keep_years
    cohort = oldest_kept_cohort(years)
    upgrade_to_head()
    with get_sessionmaker().begin() as session:
        count = deidentify_before(session, cohort)
    console.print(f"{count} graduates of cohorts before {cohort} de-identified.")


def _shown_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().database_url).render_as_string(hide_password=True)


def main() -> None:
    cli()
