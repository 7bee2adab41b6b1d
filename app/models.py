"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from app.assistance.models import (
    AssistanceService,
    AssistedGraduate,
    DifficultyGroup,
    GraduateGroup,
    ServiceStandard,
    StatusChange,
)
from app.audit.models import AuditEntry
from app.auth.models import Account, ApiToken
from app.campaigns.models import Campaign
from app.core.db import Base
from app.core.idempotency import IdempotentRequest
from app.employers.models import Employer
from app.events.models import Event, EventParticipant
from app.imports.models import ImportJob
from app.matchmaking.models import (
    CooperationIntent,
    IntentStep,
    KeyField,
    MatchmakingSession,
    SessionEmployer,
    SessionUniversity,
)
from app.policy.models import PolicyQuota, PositionsProgram, RecruitmentProgress
from app.publicity.models import PolicyMeasure, PublicitySession
from app.stats.models import PendingVacancies, StatCount, StatFirst
from app.universities.models import University
from app.vacancies.models import Vacancy
from app.visits.models import Visit

__all__ = [
    "Account",
    "ApiToken",
    "AssistanceService",
    "AssistedGraduate",
    "AuditEntry",
    "Base",
    "Campaign",
    "CooperationIntent",
    "DifficultyGroup",
    "Employer",
    "Event",
    "EventParticipant",
    "GraduateGroup",
    "IdempotentRequest",
    "ImportJob",
    "IntentStep",
    "KeyField",
    "MatchmakingSession",
    "PendingVacancies",
    "PolicyMeasure",
    "PolicyQuota",
    "PositionsProgram",
    "PublicitySession",
    "RecruitmentProgress",
    "ServiceStandard",
    "SessionEmployer",
    "SessionUniversity",
    "StatCount",
    "StatFirst",
    "StatusChange",
    "University",
    "Vacancy",
    "Visit",
]
