"""Stored file contents, addressed by SHA-256."""

from sqlmodel import Field, SQLModel


class Blob(SQLModel, table=True):
    """The bytes of one file, stored once however many rows point at them."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    md5: str = Field(max_length=32)
    size: int
