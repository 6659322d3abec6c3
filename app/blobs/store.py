"""Content-addressed blob storage on the local file system.

Each blob lives at ``<root>/<sha256[:2]>/<sha256>``. Writes go to a temporary file in
the same folder, are fsynced, then renamed into place and the folder fsynced, so a
crash leaves either the whole file or none of it. Identical bytes are stored once.
"""

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
    return Digest(hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(), len(data))  # noqa: S324 - MD5 is the OpenRosa content hash, not a security check


class BlobStore:
    """The folder that holds blob contents; the ``blob`` table holds their digests."""

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
