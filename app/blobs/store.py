"""Content-addressed blob storage on the local file system.

Each blob lives at ``<root>/<sha256[:2]>/<sha256>``. Writes go to a temporary file in
the same folder, are fsynced, then renamed into place and the folder fsynced, so a
crash leaves either the whole file or none of it. Identical bytes are stored once.
"""

import functools
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.blobs.models import Blob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digest:
    sha256: str
    md5: str
    size: int


def digest(data: bytes) -> Digest:
    # MD5 is the OpenRosa content hash, not a security check.
    md5 = hashlib.md5(data).hexdigest()  # noqa: S324
    return Digest(hashlib.sha256(data).hexdigest(), md5, len(data))


class BlobStore:
    """The folder of blob contents. The ``blob`` table stores their digests."""

    def __init__(self, root: Path, fsync: bool = True):
        self.root = root
        self.fsync = fsync
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def write(self, data: bytes) -> Digest:
        """Write ``data`` durably unless a blob with the same SHA-256 is already there."""
        found = digest(data)
        target = self.path(found.sha256)
        if target.exists() and target.stat().st_size == found.size:
            return found
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                if self.fsync:
                    file.flush()
                    os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        if self.fsync:
            directory = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        return found

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def store(self, session: Session, data: bytes) -> Blob:
        """Write ``data`` and return its ``blob`` row, creating the row if needed.

        The row is added inside a savepoint, so a concurrent writer of the same bytes
        costs a retry of the lookup rather than the caller's transaction.
        """
        found = self.write(data)
        blob = session.exec(select(Blob).where(Blob.sha256 == found.sha256)).first()
        if blob is not None:
            return blob
        try:
            with session.begin_nested():
                blob = Blob(sha256=found.sha256, md5=found.md5, size=found.size)
                session.add(blob)
        except IntegrityError:
            blob = session.exec(select(Blob).where(Blob.sha256 == found.sha256)).one()
        return blob

    def store_id(self, session: Session, data: bytes) -> int:
        """Write ``data`` and return its ``blob`` row id, in one statement when new.

        ``INSERT ... ON CONFLICT DO NOTHING`` never fails on a concurrent writer of the
        same bytes, so it needs no savepoint; when the row was already there it is read
        back by its digest.
        """
        found = self.write(data)
        insert_blob, select_blob = _blob_statements(session.get_bind().dialect.name)
        values = {"sha256": found.sha256, "md5": found.md5, "size": found.size}
        blob_id = session.execute(insert_blob, values).scalar()
        if blob_id is None:
            blob_id = session.execute(select_blob, {"sha256": found.sha256}).scalar_one()
        return blob_id


@functools.cache
def _blob_statements(backend: str) -> tuple:
    """Build the insert and lookup once per backend; reusing them skips recompiling."""
    table = Blob.__table__
    dialect = postgresql if backend == "postgresql" else sqlite
    insert_blob = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=[table.c.sha256])
        .returning(table.c.id)
    )
    select_blob = select(table.c.id).where(table.c.sha256 == bindparam("sha256"))
    return insert_blob, select_blob
