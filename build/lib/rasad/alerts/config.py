"""Alert settings from the environment: SMTP server, webhook policy, delivery timeout."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AlertSettings(BaseSettings):
    """Every field maps to an environment variable (or a line of `.env`)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    smtp_host: str = Field(default="127.0.0.1", validation_alias="RASAD_SMTP_HOST")
    smtp_port: int = Field(default=25, validation_alias="RASAD_SMTP_PORT")
    smtp_user: str | None = Field(default=None, validation_alias="RASAD_SMTP_USER")
    smtp_password: str | None = Field(default=None, validation_alias="RASAD_SMTP_PASSWORD")
    smtp_from: str = Field(default="Rasad <rasad@localhost>", validation_alias="RASAD_SMTP_FROM")
    webhook_allow_private: bool = Field(default=False, validation_alias="RASAD_WEBHOOK_ALLOW_PRIVATE")
    delivery_timeout: float = Field(default=10.0, validation_alias="RASAD_ALERT_TIMEOUT")


def get_alert_settings() -> AlertSettings:
    """Read the alert settings now (not cached: they are cheap, and tests change the environment)."""
    return AlertSettings()
