from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_DRIVERS = ("sqlite", "postgresql+psycopg")


class Settings(BaseSettings):
    """Configuration from the environment (or a `.env` file in the working directory)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./jobfair.db"
    sql_echo: bool = False
    # How often the app folds bulk-loaded vacancies into the kept counts; 0 never (then
    # `jobfair fold` does it). Figures are exact either way; folding keeps them fast.
    fold_every_seconds: float = 5.0
    # Where uploaded ledgers wait for their import job (a folder of the working directory).
    import_dir: Path = Path("imports")
    # A larger upload is refused (413) as soon as it is announced or reaches this size. A
    # national vacancies file of 12.3 million rows is about 1.3 GB as CSV.
    max_upload_bytes: int = Field(default=2 * 1024**3, gt=0)
    # How long a write's Idempotency-Key is remembered; an older key is unknown again.
    idempotency_keep_hours: float = Field(default=24, gt=0)
    # The file of a rejected import is kept this many days, for its error sheet
    # (GET /api/v1/imports/{id}/errors); older ones are deleted as new uploads arrive.
    import_keep_rejected_days: float = Field(default=7, ge=0)

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, url: str) -> str:
        # A plain postgresql:// URL would silently pick psycopg2, which is not installed.
        if url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        if not url.startswith(tuple(f"{driver}:" for driver in SUPPORTED_DRIVERS)):
            raise ValueError(f"DATABASE_URL must start with one of {SUPPORTED_DRIVERS}")
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
