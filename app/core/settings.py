from functools import lru_cache

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_DRIVERS = ("sqlite", "postgresql+psycopg")


class Settings(BaseSettings):
    """Configuration from the environment (or a `.env` file in the working directory)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./jobfair.db"
    sql_echo: bool = False

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
