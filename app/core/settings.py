from functools import lru_cache

from pydantic import field_validator
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
