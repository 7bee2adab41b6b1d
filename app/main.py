from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from app.assistance.figures_router import router as assistance_figures_router
from app.assistance.router import router as assisted_graduates_router
from app.assistance.services_router import router as assistance_services_router
from app.assistance.standards_router import router as assistance_standards_router
from app.audit.refusals import install_refusal_audit
from app.audit.router import router as audit_router
from app.auth.limits import require_storage
from app.auth.router import router as auth_router
from app.campaigns.router import router as campaigns_router
from app.core.body_limit import BodyLimit
from app.core.db import get_sessionmaker, transactional
from app.core.errors import install_problem_handlers
from app.core.outages import install_outage_handlers
from app.core.request_id import RequestId
from app.core.settings import get_settings
from app.core.shutdown import install_stop_signal
from app.dashboard.router import mount_dashboard
from app.employers.router import router as employers_router
from app.events.router import router as events_router
from app.imports.router import router as imports_router
from app.imports.service import mark_interrupted
from app.matchmaking.router import router as matchmaking_router
from app.policy.router import router as policy_router
from app.privacy.logs import install_log_scrubbing
from app.publicity.router import router as publicity_router
from app.reference.router import router as reference_router
from app.reports.router import router as reports_router
from app.stats.folding import BackgroundFolder
from app.stats.router import router as stats_router
from app.universities.router import router as universities_router
from app.vacancies.router import router as vacancies_router
from app.visits.router import router as visits_router

API_PREFIX = "/api/v1"


@asynccontextmanager
async def _background_work(_app: FastAPI) -> AsyncIterator[None]:
    """At start, imports that a stopped process left running are marked interrupted, and
    SIGTERM is made to stop running imports too; then bulk-loaded vacancies are folded into
    the kept figures every few seconds, unless `jobfair worker` does it. A server whose rate limits' storage does not answer
    does not start."""
    require_storage()
    install_stop_signal()
    with transactional(get_sessionmaker(), writing=True) as session:
        mark_interrupted(session)
    every = get_settings().fold_every_seconds
    folds_here = every > 0 and not get_settings().queues_background_work()
    folder = BackgroundFolder(get_sessionmaker(), every) if folds_here else None
    if folder:
        folder.start()
    yield
    if folder:
        folder.stop()


def _is_upload(scope) -> bool:
    return scope["method"] == "POST" and scope["path"] == f"{API_PREFIX}/imports"


def create_app(*, background_work: bool = True) -> FastAPI:
    install_log_scrubbing()
    app = FastAPI(
        lifespan=_background_work if background_work else None,
        title="jobfair",
        version="0.1.0",
        description=(
            "Records of China's graduate-employment campaigns: universities, employers, "
            "enterprise visits (访企拓岗), recruitment events and vacancies. "
            "Errors are RFC 9457 problem details. Every route but /health and the docs needs "
            "a bearer token: an API token, or POST /api/v1/auth/login's."
        ),
    )
    app.add_middleware(BodyLimit, exempt=_is_upload)
    app.add_middleware(RequestId)
    install_problem_handlers(app)
    install_outage_handlers(app)
    install_refusal_audit(app)
    api = APIRouter(prefix=API_PREFIX)
    # Matched in this order, route by route: what every dashboard polls comes first.
    for router in (
        stats_router,
        reports_router,
        auth_router,
        reference_router,
        universities_router,
        employers_router,
        campaigns_router,
        visits_router,
        events_router,
        vacancies_router,
        assisted_graduates_router,
        assistance_services_router,
        assistance_standards_router,
        assistance_figures_router,
        policy_router,
        publicity_router,
        matchmaking_router,
        imports_router,
        audit_router,
    ):
        api.include_router(router)
    app.include_router(api)
    mount_dashboard(app)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


app = create_app()
