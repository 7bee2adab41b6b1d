import contextlib
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_DRIVERS = ("sqlite", "postgresql+psycopg")
RATE_LIMIT_STORAGES = ("memory://", "redis://", "rediss://", "redis+unix://")


class Settings(BaseSettings):
    """Configuration from the environment (or a `.env` file in the working directory)."""

    # A refused setting's error names it, never its value (a key must not reach a log).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    database_url: str = "sqlite:///./jobfair.db"
    sql_echo: bool = False
    # How often the app folds bulk-loaded vacancies into the kept counts; 0 never (then
    # `jobfair fold` does it). Figures are exact either way; folding keeps them fast.
    fold_every_seconds: float = 5.0
    # Where uploaded ledgers wait for their import job (a folder of the working directory).
    # With BACKGROUND_WORK=worker, a folder every instance and worker shares (app/imports/queue.py).
    import_dir: Path = Path("imports")
    # Who runs imports, folds and housekeeping: "web", the process that took the upload (one
    # machine; SQLite's only choice), or "worker", `jobfair worker` processes taking them from
    # a queue in PostgreSQL, any number of them beside any number of web instances.
    background_work: Literal["web", "worker"] = "web"
    # A larger upload is refused (413) as soon as it is announced or reaches this size. A
    # national vacancies file of 12.3 million rows is about 1.3 GB as CSV.
    max_upload_bytes: int = Field(default=2 * 1024**3, gt=0)
    # How long a write's Idempotency-Key is remembered; an older key is unknown again.
    idempotency_keep_hours: float = Field(default=24, gt=0)
    # The file of a rejected import is kept this many days, for its error sheet
    # (GET /api/v1/imports/{id}/errors); older ones are deleted as new uploads arrive.
    import_keep_rejected_days: float = Field(default=7, ge=0)

    # Signs login tokens. Unset, a random key is made once and kept in SECRET_KEY_FILE, so that
    # every worker and restart agrees; a key that is short or a known placeholder is refused.
    secret_key: SecretStr | None = None
    secret_key_file: Path = Path("jobfair.secret")
    # How long the bearer token answered by POST /api/v1/auth/login is valid.
    login_token_minutes: int = Field(default=30, gt=0, le=24 * 60)
    # Requests a token may make per minute; then 429.
    rate_limit_per_minute: int = Field(default=1200, gt=0)
    # A streaming replica of DATABASE_URL that answers the statistics, the bulletin and the
    # lists (app/core/replica.py); unset, the primary answers everything.
    database_replica_url: str | None = None
    # A replica further behind than this leaves reads to the primary.
    replica_max_lag_seconds: float = Field(default=5.0, gt=0)
    # How long a read waits for the replica to replay what the primary had committed when the
    # read began, before the primary answers it.
    replica_wait_ms: int = Field(default=200, ge=0)
    # Where the rate limits and failed sign-ins are counted: memory:// (each process its own),
    # or redis://host:port/db, shared by every worker and instance (app/auth/limits.py).
    rate_limit_storage_url: str = "memory://"
    # Where each machine's processes share their epochs (app/core/epochs.py): /dev/shm unset.
    epochs_dir: Path | None = None
    # A Redis (redis://host:port/db) through which instances on several machines hear each
    # other's changes, so that what each caches is let go of at once (app/core/epoch_broadcast.py).
    epochs_broadcast_url: str | None = None
    # uvicorn's line per request (behind a proxy that logs them, off spares each request's
    # formatting and write).
    access_log: bool = True
    # Figures answered from memory (app/core/answers.py): at most this much per process (0: none),
    # each for at most this long, even unchanged.
    answer_cache_mb: int = Field(default=64, ge=0)
    answer_cache_seconds: float = Field(default=60, gt=0)
    # A token's or a sign-in's account, known to a process without asking the database, for at
    # most this long (app/auth/known.py); a revocation on this machine ends it at once.
    principal_cache_seconds: float = Field(default=30, ge=0)
    # Failed sign-ins (and requests with a bad token) a client address may make per minute.
    failed_logins_per_minute: int = Field(default=5, gt=0)
    # A JSON request body larger than this is refused (413); uploads have MAX_UPLOAD_BYTES.
    max_body_bytes: int = Field(default=1024**2, gt=0)
    # How long a request waits for another transaction's lock (SQLite's one writer, a write
    # of the figures on PostgreSQL) before it is answered 503 with Retry-After.
    db_wait_seconds: float = Field(default=5, gt=0, le=300)
    # On SIGTERM, how long requests in flight are given to finish (a running import is rolled
    # back at once, and marked interrupted).
    shutdown_grace_seconds: float = Field(default=30, gt=0)

    # "production" refuses to start without SECRET_KEY and PERSONAL_DATA_KEYS set explicitly:
    # keys made on first use in a working folder are for trying the service, not for running it.
    environment: Literal["development", "production"] = "development"
    # Encrypt ID numbers and phones at rest (Fernet: AES-128-CBC with HMAC-SHA256): one or more
    # keys (`jobfair personal-data new-key`), comma-separated, newest first. The first encrypts;
    # all decrypt and find records, so a key can be rotated in without downtime (README).
    # Unset outside production, a key is made once in PERSONAL_DATA_KEY_FILE and kept.
    personal_data_keys: SecretStr | None = None
    personal_data_key_file: Path = Path("jobfair.personal-data.key")
    # Graduates in difficulty of a cohort older than this many years are de-identified by
    # `jobfair personal-data deidentify` (figures kept, people gone).
    personal_data_keep_years: int = Field(default=3, ge=1, le=50)

    @model_validator(mode="after")
    def _production_keys_given(self) -> "Settings":
        if self.environment == "production":
            missing = [
                name
                for name, value in (
                    ("SECRET_KEY", self.secret_key),
                    ("PERSONAL_DATA_KEYS", self.personal_data_keys),
                )
                if value is None
            ]
            if missing:
                raise ValueError(f"ENVIRONMENT=production needs {' and '.join(missing)} set")
        return self

    @model_validator(mode="after")
    def _worker_on_postgresql(self) -> "Settings":
        if self.background_work == "worker" and not self.database_url.startswith("postgresql"):
            raise ValueError(
                "BACKGROUND_WORK=worker needs a PostgreSQL DATABASE_URL: on SQLite the web "
                "process runs imports and folds itself (BACKGROUND_WORK=web)"
            )
        return self

    def queues_background_work(self) -> bool:
        """Whether imports wait for `jobfair worker`, which folds and keeps house too."""
        return self.background_work == "worker"

    @field_validator("personal_data_keys")
    @classmethod
    def _strong_data_keys(cls, keys: SecretStr | None) -> SecretStr | None:
        if keys is not None:
            from app.privacy.keys import parse_keys

            parse_keys(keys.get_secret_value())
        return keys

    def data_keys(self) -> list[bytes]:
        """PERSONAL_DATA_KEYS, newest first, or the key kept in PERSONAL_DATA_KEY_FILE (made
        there on first use, outside production)."""
        from app.privacy.keys import new_key, parse_keys

        if self.personal_data_keys is not None:
            return parse_keys(self.personal_data_keys.get_secret_value())
        path = self.personal_data_key_file
        if not path.exists():
            _write_once(path, new_key())
        return parse_keys(path.read_text(encoding="ascii").strip())

    @field_validator("secret_key")
    @classmethod
    def _safe_secret(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None:
            refuse_unsafe_secret(key.get_secret_value())
        return key

    def signing_key(self) -> str:
        """SECRET_KEY, or the one kept in SECRET_KEY_FILE (made there on first use)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.secret_key_file
        if not path.exists():
            _write_once(path, secrets.token_urlsafe(48))
        return refuse_unsafe_secret(path.read_text(encoding="ascii").strip())

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, url: str) -> str:
        # A plain postgresql:// URL would silently pick psycopg2, which is not installed.
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        if not url.startswith(tuple(f"{driver}:" for driver in SUPPORTED_DRIVERS)):
            raise ValueError(f"DATABASE_URL must start with one of {SUPPORTED_DRIVERS}")
        return url

    @field_validator("database_replica_url")
    @classmethod
    def _postgresql_replica(cls, url: str | None) -> str | None:
        if url is None:
            return None
        url = cls._known_driver(url)
        if not url.startswith("postgresql+psycopg:"):
            raise ValueError("DATABASE_REPLICA_URL must be a PostgreSQL streaming replica")
        return url

    @field_validator("epochs_broadcast_url")
    @classmethod
    def _redis_broadcast(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(RATE_LIMIT_STORAGES[1:]):
            raise ValueError(
                f"EPOCHS_BROADCAST_URL must start with one of {RATE_LIMIT_STORAGES[1:]}"
            )
        return url

    @field_validator("rate_limit_storage_url")
    @classmethod
    def _known_storage(cls, url: str) -> str:
        if not url.startswith(RATE_LIMIT_STORAGES):
            raise ValueError(f"RATE_LIMIT_STORAGE_URL must start with one of {RATE_LIMIT_STORAGES}")
        return url


def _write_once(path: Path, content: str) -> None:
    """Write `path` whole, unless another process has: the first worker to start wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(content, encoding="ascii")
    draft.chmod(0o600)
    with contextlib.suppress(FileExistsError):
        os.link(draft, path)
    draft.unlink()


_PLACEHOLDERS = {"changethis", "changeme", "secret", "password", "jobfair"}


def refuse_unsafe_secret(key: str) -> str:
    if key.lower() in _PLACEHOLDERS or len(key) < 32:
        raise ValueError("SECRET_KEY must be at least 32 characters and not a placeholder")
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
