"""Settings of the HTTP API (environment variables, read with pydantic-settings)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """`RASAD_API_READ_AUTH=true` makes reads need a token too; writes always do."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    read_auth: bool = Field(default=False, validation_alias="RASAD_API_READ_AUTH")
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, validation_alias="RASAD_API_MAX_BODY_BYTES")
    page_size: int = Field(default=50, ge=1, le=200, validation_alias="RASAD_API_PAGE_SIZE")
