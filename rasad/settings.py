"""Runtime configuration, read from the environment (and an optional `.env` file).

Nothing set means the embedded default: SQLite and a serverless Celery broker in a local
data folder, so `make demo` runs on a machine with no services. Production sets
`DATABASE_URL` and `REDIS_URL`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgres", "postgresql", "postgresql+psycopg")
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp", "rasad-sqla+sqlite")


class SettingsError(ValueError):
    """A setting from the environment that cannot work, named with its variable (one line)."""


def _check_url(value: str | None, variable: str, schemes: tuple[str, ...]) -> str | None:
    if value is None or not value.strip():
        return None
    scheme, sep, rest = value.strip().partition("://")
    if not sep or scheme.lower() not in schemes or not rest:
        raise ValueError(f"{variable} must be a URL starting with one of {', '.join(s + '://' for s in schemes)}")
    return value.strip()


class _AlertFields(BaseModel):
    """The alert settings' fields, declared once: in `Settings` (from the environment) and `AlertSettings`."""

    smtp_host: str = Field(default="127.0.0.1", validation_alias="RASAD_SMTP_HOST")
    smtp_port: int = Field(default=25, validation_alias="RASAD_SMTP_PORT")
    smtp_user: str | None = Field(default=None, validation_alias="RASAD_SMTP_USER")
    smtp_password: str | None = Field(default=None, validation_alias="RASAD_SMTP_PASSWORD")
    smtp_from: str = Field(default="Rasad <rasad@localhost>", validation_alias="RASAD_SMTP_FROM")
    webhook_allow_private: bool = Field(default=False, validation_alias="RASAD_WEBHOOK_ALLOW_PRIVATE")
    delivery_timeout: float = Field(default=10.0, validation_alias="RASAD_ALERT_TIMEOUT")


class AlertSettings(_AlertFields):
    """What the alert channels need (from `Settings.alerts`; tests build it directly)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)


class _ApiFields(BaseModel):
    """The HTTP API's fields, declared once: reads need a token too with `read_auth`; writes always do."""

    read_auth: bool = Field(default=False, validation_alias="RASAD_API_READ_AUTH")
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, validation_alias="RASAD_API_MAX_BODY_BYTES")
    page_size: int = Field(default=50, ge=1, le=200, validation_alias="RASAD_API_PAGE_SIZE")


class ApiSettings(_ApiFields):
    """What the HTTP API needs (from `Settings.api`; tests build it directly)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)


def _view(settings: BaseModel, fields: type[BaseModel]) -> dict[str, object]:
    return {name: getattr(settings, name) for name in fields.model_fields}


class Settings(BaseSettings, _AlertFields, _ApiFields):
    """All settings of Rasad; every field maps to an environment variable."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(default=Path("data"), validation_alias="RASAD_DATA_DIR")
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    broker_url: str | None = Field(default=None, validation_alias="CELERY_BROKER_URL")
    queue: str = Field(default="rasad", validation_alias="RASAD_QUEUE")
    fixtures_url: str = Field(default="http://127.0.0.1:8765", validation_alias="RASAD_FIXTURES_URL")
    profile: Literal["live", "fixtures"] = Field(default="live", validation_alias="RASAD_PROFILE")
    sources_file: Path | None = Field(default=None, validation_alias="RASAD_SOURCES_FILE")
    topics_dir: Path | None = Field(
        default=None, validation_alias="RASAD_TOPICS_DIR", description="your topic files, beside the bundled ones"
    )
    kb_dir: Path | None = Field(
        default=None, validation_alias="RASAD_KB_DIR", description="your people, places, organizations and amendments"
    )
    user_agent: str = Field(
        default="RasadBot/0.1 (+https://github.com/rasad-news/rasad)", validation_alias="RASAD_USER_AGENT"
    )
    max_page_bytes: int = Field(default=5_000_000, validation_alias="RASAD_MAX_PAGE_BYTES")
    download_timeout: float = Field(default=20.0, validation_alias="RASAD_DOWNLOAD_TIMEOUT")
    log_level: str = Field(default="INFO", validation_alias="RASAD_LOG_LEVEL")
    crawl_floor_minutes: int = Field(
        default=1, ge=1, validation_alias="RASAD_CRAWL_FLOOR_MINUTES", description="no outlet crawled more often"
    )
    visibility_timeout: int = Field(
        default=900,
        validation_alias="RASAD_VISIBILITY_TIMEOUT",
        description="seconds before the broker (Redis or embedded) redelivers an unacknowledged task",
    )
    max_attempts: int = Field(
        default=3, ge=1, validation_alias="RASAD_MAX_ATTEMPTS", description="tries before a page is quarantined"
    )
    task_soft_time_limit: int = Field(
        default=300, ge=1, validation_alias="RASAD_TASK_SOFT_TIME_LIMIT", description="seconds; ends in a failure"
    )
    task_time_limit: int = Field(
        default=360, ge=1, validation_alias="RASAD_TASK_TIME_LIMIT", description="seconds; the pool process is killed"
    )
    worker_max_memory_mb: int = Field(
        default=512,
        ge=1,
        validation_alias="RASAD_WORKER_MAX_MEMORY_MB",
        description="a pool process above this resident size is replaced after its task",
    )
    # The alert settings (SMTP, webhook policy, delivery timeout) come from `_AlertFields`, seen through `.alerts`.
    # The HTTP API's settings come from `_ApiFields`, seen through `.api`.

    @field_validator("database_url")
    @classmethod
    def _database_url_is_supported(cls, value: str | None) -> str | None:
        return _check_url(value, "DATABASE_URL", DATABASE_SCHEMES)

    @field_validator("topics_dir", "kb_dir")
    @classmethod
    def _user_data_is_a_directory(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is not None and not value.is_dir():
            variable = {"topics_dir": "RASAD_TOPICS_DIR", "kb_dir": "RASAD_KB_DIR"}[info.field_name or ""]
            raise ValueError(f"{variable}: {value} is not a directory")
        return value.resolve() if value is not None else None

    @field_validator("redis_url")
    @classmethod
    def _redis_url_is_redis(cls, value: str | None) -> str | None:
        return _check_url(value, "REDIS_URL", ("redis", "rediss"))

    @field_validator("broker_url")
    @classmethod
    def _broker_url_is_supported(cls, value: str | None) -> str | None:
        return _check_url(value, "CELERY_BROKER_URL", BROKER_SCHEMES)

    @property
    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL of the store: `DATABASE_URL`, else SQLite in the data folder."""
        if self.database_url:
            url = self.database_url
            # Accept the common `postgres://` / `postgresql://` spellings and use psycopg 3.
            if url.startswith("postgres://"):
                url = "postgresql://" + url[len("postgres://") :]
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        return f"sqlite:///{(self.data_dir / 'rasad.sqlite').resolve()}"

    @property
    def resolved_broker_url(self) -> str:
        """The Celery broker: explicit broker URL, else Redis, else the embedded SQLAlchemy broker on SQLite."""
        if self.broker_url:
            return self.broker_url
        if self.redis_url:
            return self.redis_url
        return f"rasad-sqla+sqlite:///{(self.data_dir / 'broker.sqlite').resolve()}"

    @property
    def alerts(self) -> AlertSettings:
        """The settings the alert channels use."""
        return AlertSettings.model_validate(_view(self, _AlertFields), by_name=True)

    @property
    def api(self) -> ApiSettings:
        """The settings the HTTP API uses."""
        return ApiSettings.model_validate(_view(self, _ApiFields), by_name=True)

    @property
    def embedded(self) -> bool:
        """True when running without external services (no Redis, no server database)."""
        return not (self.redis_url or self.broker_url)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment; `SettingsError` names a bad variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(message if name in message.split()[0] else f"{name}: {message}") from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
