"""pyodk, ODK's Python client for Central, used against a running Kazi server."""

import hashlib
import shutil

import pytest
from pyodk.client import Client

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.forms_api.helpers import FORMS


@pytest.fixture
def pyodk_client(server, tmp_path, monkeypatch):
    config = tmp_path / "pyodk_config.toml"
    config.write_text(
        "[central]\n"
        f'base_url = "{server.url}"\n'
        f'username = "{ADMIN_EMAIL}"\n'
        f'password = "{ADMIN_PASSWORD}"\n'
        "default_project_id = 1\n"
    )
    monkeypatch.setenv("PYODK_CONFIG_FILE", str(config))
    monkeypatch.setenv("PYODK_CACHE_FILE", str(tmp_path / "pyodk_cache.toml"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with Client() as client:
        yield client


def test_pyodk_lists_projects(pyodk_client):
    projects = pyodk_client.projects.list()
    assert [(p.id, p.name) for p in projects] == [(1, "Tanzania pilot")]


def test_pyodk_creates_form_with_attachment(pyodk_client, admin, tmp_path):
    # pyodk names the form after the file when the settings sheet has no form_id.
    definition = tmp_path / "pull_data.xlsx"
    shutil.copy(FORMS / "pyxform__pull_data.xlsx", definition)
    csv = FORMS / "pyxform__pull_data.media" / "fruits.csv"

    assert pyodk_client.forms.list() == []
    form = pyodk_client.forms.create(
        definition=definition, attachments=[csv], ignore_warnings=True
    )
    assert form.xmlFormId == "pull_data"

    listed = pyodk_client.forms.list()
    assert [f.xmlFormId for f in listed] == ["pull_data"]
    assert listed[0].publishedAt is not None
    rest = admin.get("/v1/projects/1/forms/pull_data").json()
    assert rest["publishedAt"] is not None
    assert rest["draftToken"] is None
    files = admin.get("/v1/projects/1/forms/pull_data/attachments").json()
    assert [(f["name"], f["exists"]) for f in files] == [("fruits.csv", True)]
    served = admin.get("/v1/projects/1/forms/pull_data/attachments/fruits.csv")
    assert served.content == csv.read_bytes()
    assert files[0]["hash"] == hashlib.md5(csv.read_bytes()).hexdigest()  # noqa: S324
    assert pyodk_client.forms.get_xml("pull_data").startswith("<?xml")


def test_pyodk_form_id_with_underscores_and_digits(pyodk_client, admin, tmp_path):
    definition = tmp_path / "tutorial_2026-v2.xlsx"
    shutil.copy(FORMS / "onadata__tutorial.xlsx", definition)
    form = pyodk_client.forms.create(definition=definition, ignore_warnings=True)
    assert form.xmlFormId == "tutorial_2026-v2"
    assert admin.get("/v1/projects/1/forms/tutorial_2026-v2.xml").status_code == 200


def test_pyodk_encoded_fallback_is_decoded(pyodk_client, tmp_path):
    """pyodk percent-encodes the fallback header; the error shows the decoded name."""
    from pyodk.errors import PyODKError

    definition = tmp_path / "fomu ya kaya.xlsx"
    shutil.copy(FORMS / "onadata__tutorial.xlsx", definition)
    with pytest.raises(PyODKError) as raised:
        pyodk_client.forms.create(definition=definition, ignore_warnings=True)
    response = raised.value.args[1]
    assert response.status_code == 400
    assert response.json()["details"]["value"] == "fomu ya kaya"
    assert "X-XlsForm-FormId-Fallback" in response.json()["message"]
