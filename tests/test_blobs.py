"""Content-addressed blob storage: one copy per content, atomic writes."""

from sqlalchemy import text
from sqlmodel import Session

from app.blobs.store import BlobStore
from tests.forms_api.helpers import FORMS, upload

FRUITS = (FORMS / "pyxform__pull_data.media" / "fruits.csv").read_bytes()


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_identical_bytes_stored_once(server, admin):
    for form_id in ("first", "second"):
        response = upload(
            admin,
            FORMS / "pyxform__pull_data.xlsx",
            headers={"X-XlsForm-FormId-Fallback": form_id},
        )
        assert response.status_code == 200, response.text
        stored = admin.post(
            f"/v1/projects/1/forms/{form_id}/draft/attachments/fruits.csv", content=FRUITS
        )
        assert stored.status_code == 200, stored.text
    with server.engine.connect() as connection:
        blobs = connection.execute(text("SELECT sha256, size FROM blob")).all()
    # One row for the spreadsheet and one for the CSV, however many forms use them.
    assert len(blobs) == 2
    assert len(FRUITS) in {size for _, size in blobs}
    files = _files(server.settings.blob_dir)
    assert len(files) == 2
    assert not [f for f in files if f.name.startswith(".tmp-")]
    for sha256, size in blobs:
        path = server.settings.blob_dir / sha256[:2] / sha256
        assert path.stat().st_size == size


def test_store_reuses_row_and_file(server, tmp_path):
    store = BlobStore(tmp_path / "blobs")
    with Session(server.engine) as db:
        first = store.store(db, b"same bytes")
        second = store.store(db, b"same bytes")
        db.commit()
        assert first.id == second.id
    files = _files(tmp_path / "blobs")
    assert [f.name for f in files] == [first.sha256]
    assert files[0].read_bytes() == b"same bytes"


def test_write_leaves_no_temporary_files(tmp_path, monkeypatch):
    store = BlobStore(tmp_path / "blobs")
    found = store.write(b"content")
    assert store.read(found.sha256) == b"content"
    assert [f.name for f in _files(tmp_path / "blobs")] == [found.sha256]


def test_failed_write_removes_temporary_file(tmp_path, monkeypatch):
    import os

    store = BlobStore(tmp_path / "blobs")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    try:
        store.write(b"never lands")
    except OSError:
        pass
    else:
        raise AssertionError("write should have failed")
    assert _files(tmp_path / "blobs") == []


def test_write_replaces_truncated_file(tmp_path):
    store = BlobStore(tmp_path / "blobs")
    found = store.write(b"complete content")
    store.path(found.sha256).write_bytes(b"compl")
    store.write(b"complete content")
    assert store.read(found.sha256) == b"complete content"
