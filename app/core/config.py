"""Settings read from ``KAZI_*`` environment variables."""

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting Kazi reads, with its default; the README lists them."""

    model_config = SettingsConfigDict(env_prefix="KAZI_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite database and stored files (blobs).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; empty means kazi.db in the data folder.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public URL of the server, written into form lists and QR codes.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description=(
            "Comma-separated proxy addresses whose X-Forwarded-Proto and "
            "X-Forwarded-For headers are trusted; * trusts every client."
        ),
    )
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    forms_dir: Path | None = Field(
        default=None,
        description="Folder whose XLSForms the first start publishes; default forms/.",
    )
    max_form_bytes: int = Field(
        default=10_000_000, description="Largest form upload, bytes."
    )
    max_xlsx_unzipped_bytes: int = Field(
        default=100_000_000,
        description="Largest total uncompressed size of an .xlsx upload, bytes.",
    )
    max_submission_bytes: int = Field(
        default=100_000_000,
        description=(
            "Largest OpenRosa submission body in bytes "
            "(X-OpenRosa-Accept-Content-Length)."
        ),
    )
    max_attachment_bytes: int = Field(
        default=100_000_000, description="Largest form attachment upload, bytes."
    )
    session_hours: int = Field(default=24, description="Lifetime of a web session token.")
    login_max_failures: int = Field(
        default=5,
        description="Failed logins per account before it is locked for a while.",
    )
    login_lockout_minutes: int = Field(default=10)
    log_level: str = "INFO"
    fsync: bool = Field(
        default=True, description="fsync blobs before a write is acknowledged; keep on."
    )

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'kazi.db').resolve()}"

    @cached_property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @cached_property
    def public_base_url(self) -> str:
        return self.base_url.rstrip("/")
