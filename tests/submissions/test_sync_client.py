"""The Collect-like client in sync/, against the live server."""

import functools
import logging
import subprocess
import sys
import time

import httpx
import pytest

import sync.__main__
from sync import (
    Attachment,
    OpenRosaClient,
    SendError,
    ServerURLError,
    batches,
    redact_token,
)
from tests.odk_collect import assign, create_app_user
from tests.submissions.helpers import (
    instance,
    new_instance_id,
    publish_photo_form,
    submission_url,
)

WRONG_TOKEN = "W" * 64


def _server_url(server, admin) -> str:
    publish_photo_form(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, "photo_survey")
    return f"{server.url}/v1/key/{app_user.token}/projects/1"


def _token(url: str) -> str:
    return url.split("/key/")[1].split("/")[0]


class FlakyTransport(httpx.BaseTransport):
    """Fail the first ``failures`` requests as a dropped network would, then pass."""

    def __init__(self, failures: int):
        self.failures = failures
        self.real = httpx.HTTPTransport()

    def handle_request(self, request):
        if self.failures:
            self.failures -= 1
            raise httpx.ConnectError("connection reset", request=request)
        return self.real.handle_request(request)


class RecordingTransport(httpx.BaseTransport):
    """Pass requests to the network and record each one's method."""

    def __init__(self):
        self.methods: list[str] = []
        self.real = httpx.HTTPTransport()

    def handle_request(self, request):
        self.methods.append(request.method)
        return self.real.handle_request(request)


class BrokenRequestTransport(httpx.BaseTransport):
    """Fail every request as httpx does for a request it cannot encode."""

    def __init__(self):
        self.calls = 0

    def handle_request(self, request):
        self.calls += 1
        raise httpx.LocalProtocolError("illegal header value", request=request)


def _write_instances(folder, count: int, form_id: str = "photo_survey") -> None:
    for number in range(count):
        instance_dir = folder / f"{form_id}_{number}"
        instance_dir.mkdir()
        xml = instance(new_instance_id(), form_id=form_id)
        (instance_dir / "visit.xml").write_bytes(xml)


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sync", "send", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_batches_respect_size_and_count():
    files = [Attachment(f"{i}.jpg", b"x" * 10) for i in range(250)]
    groups = batches(100, files, limit=10_000)
    assert [len(group) for group in groups] == [100, 100, 50]
    small = batches(100, files[:5], limit=125)
    assert [len(group) for group in small] == [2, 2, 1]
    assert batches(100, [], limit=10) == [[]]


def test_split_upload_completes(server, admin):
    url = _server_url(server, admin)
    instance_id = new_instance_id()
    xml = instance(instance_id, photo="photo.png", sign="sign.png")
    files = [Attachment("photo.png", b"p" * 3000), Attachment("sign.png", b"s" * 3000)]
    settings = server.app.state.settings
    saved = settings.max_submission_bytes
    settings.max_submission_bytes = 5000
    try:
        with OpenRosaClient(url) as client:
            result = client.send(xml, files)
    finally:
        settings.max_submission_bytes = saved
    assert result.status == 201
    assert result.requests == 2
    attachments = admin.get(submission_url("photo_survey", instance_id) + "/attachments")
    assert attachments.json() == [
        {"name": "photo.png", "exists": True},
        {"name": "sign.png", "exists": True},
    ]


def test_network_errors_retried(server, admin):
    url = _server_url(server, admin)
    delays = []
    with OpenRosaClient(url, transport=FlakyTransport(3), sleep=delays.append) as client:
        result = client.send(instance(new_instance_id()))
    assert result.status == 201
    assert delays == [0.5, 1.0, 2.0]
    assert len(admin.get(submission_url("photo_survey")).json()) == 1


def test_retries_bounded(server, admin):
    url = _server_url(server, admin)
    delays = []
    with OpenRosaClient(
        url, transport=FlakyTransport(99), sleep=delays.append, max_attempts=3
    ) as client:
        with pytest.raises(SendError, match="after 3 attempts"):
            client.send(instance(new_instance_id()))
    assert delays == [0.5, 1.0]


def test_rejection_raises(server, admin):
    url = _server_url(server, admin)
    instance_id = new_instance_id()
    with OpenRosaClient(url) as client:
        client.send(instance(instance_id))
        with pytest.raises(SendError) as raised:
            client.send(instance(instance_id, name="Changed"))
    assert raised.value.status == 409


def test_cli_sends_folder(server, admin, tmp_path):
    url = _server_url(server, admin)
    for number in range(3):
        folder = tmp_path / f"visit_{number}"
        folder.mkdir()
        (folder / "visit.xml").write_bytes(instance(new_instance_id(), photo="photo.png"))
        (folder / "photo.png").write_bytes(b"image %d" % number)
    done = subprocess.run(
        [sys.executable, "-m", "sync", "send", "--server", url, "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "sent 3 of 3; 0 failed" in done.stdout
    assert len(admin.get(submission_url("photo_survey")).json()) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "http://h/v1/key/Ab_c-9$!x/projects/1/submission?deviceID=d",
            "http://h/v1/key/[token]/projects/1/submission?deviceID=d",
        ),
        ("http://h/v1/key/abc", "http://h/v1/key/[token]"),
        ("GET 'http://h/key/abc' failed", "GET 'http://h/key/[token]' failed"),
        ("a/key/x and b/key/y/", "a/key/[token] and b/key/[token]/"),
        ("http://h/v1/projects/1", "http://h/v1/projects/1"),
    ],
)
def test_redact_token_cases(text, expected):
    assert redact_token(text) == expected


def test_token_redacted_in_logs_and_errors(server, admin, caplog):
    caplog.set_level(logging.DEBUG)
    url = _server_url(server, admin)
    token = _token(url)
    with OpenRosaClient(url, transport=FlakyTransport(1), sleep=lambda _: None) as client:
        client.send(instance(new_instance_id()))
        client_repr = repr(client)
    wrong_url = url.replace(token, WRONG_TOKEN)
    with OpenRosaClient(wrong_url) as client:
        with pytest.raises(ServerURLError) as rejected:
            client.send(instance(new_instance_id()))
    with OpenRosaClient(
        url, transport=FlakyTransport(99), sleep=lambda _: None, max_attempts=2
    ) as client:
        with pytest.raises(SendError) as exhausted:
            client.send(instance(new_instance_id()))

    logged = caplog.text
    assert token not in logged
    assert WRONG_TOKEN not in logged
    assert token not in client_repr
    assert WRONG_TOKEN not in str(rejected.value)
    assert token not in str(exhausted.value)
    assert "HTTP Request: POST http://127.0.0.1" in logged
    assert "/v1/key/[token]/projects/1/submission?deviceID=" in logged
    assert "retrying method=HEAD url=http://127.0.0.1" in logged
    assert "/v1/key/[token]/projects/1/submission" in str(rejected.value)
    assert "/v1/key/[token]/projects/1/submission" in str(exhausted.value)
    assert "/key/[token]/" in client_repr


def test_cli_output_has_no_token(server, admin, tmp_path):
    url = _server_url(server, admin)
    token = _token(url)
    _write_instances(tmp_path, 1)
    sent = _run_cli("--server", url, "--dir", str(tmp_path), "--verbose")
    rejected = _run_cli(
        "--server", url.replace(token, WRONG_TOKEN), "--dir", str(tmp_path)
    )
    assert sent.returncode == 0, sent.stderr
    assert rejected.returncode == 1, rejected.stderr
    for done in (sent, rejected):
        assert token not in done.stdout + done.stderr
        assert WRONG_TOKEN not in done.stdout + done.stderr
        assert "/v1/key/[token]/projects/1/submission" in done.stderr


@pytest.mark.parametrize("attempts", [0, -1])
def test_attempts_below_one_rejected(attempts):
    url = "http://127.0.0.1:9/v1/key/abc/projects/1"
    with pytest.raises(
        ValueError, match=f"max_attempts must be at least 1, got {attempts}"
    ):
        OpenRosaClient(url, max_attempts=attempts)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "must be at least 1, got 0"),
        ("-3", "must be at least 1, got -3"),
        ("two", "invalid value 'two': expected a whole number"),
    ],
)
def test_cli_rejects_bad_attempts(tmp_path, capsys, value, message):
    argv = ["send", "--server", "http://127.0.0.1:9/v1/key/abc/projects/1"]
    argv += ["--dir", str(tmp_path), "--attempts", value]
    with pytest.raises(SystemExit) as exited:
        sync.__main__.main(argv)
    assert exited.value.code == 2
    assert f"argument --attempts: {message}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "127.0.0.1:8000/v1/key/SECRET/projects/1",
            "must start with http:// or https://",
        ),
        (
            "localhost:8000/v1/key/SECRET/projects/1",
            "must start with http:// or https://",
        ),
        (
            "ftp://127.0.0.1/v1/key/SECRET/projects/1",
            "must start with http:// or https://",
        ),
        ("http:///v1/key/SECRET/projects/1", "the host name is missing"),
        ("http://127.0.0.1:80a/v1/key/SECRET/projects/1", "Invalid port"),
        ("http://127.0.0.1/v1/key/SECRET/projects/1?x=1", "remove the query"),
        ("http://127.0.0.1/v1/key/SECRET/projects/1#top", "remove the query"),
    ],
)
def test_invalid_server_url_rejected(url, message):
    with pytest.raises(ValueError, match=message) as raised:
        OpenRosaClient(url)
    assert "SECRET" not in str(raised.value)
    assert "/key/[token]/" in str(raised.value)


def test_cli_rejects_url_without_scheme(tmp_path, capsys):
    _write_instances(tmp_path, 1)
    argv = ["send", "--server", "127.0.0.1:8000/v1/key/SECRET/projects/1"]
    argv += ["--dir", str(tmp_path)]
    started = time.monotonic()
    with pytest.raises(SystemExit) as exited:
        sync.__main__.main(argv)
    elapsed = time.monotonic() - started
    error = capsys.readouterr().err
    assert exited.value.code == 2
    assert "argument --server: invalid server URL" in error
    assert "must start with http:// or https://" in error
    assert "SECRET" not in error
    # Without the URL check, five tries with backoff (0.5 + 1 + 2 + 4 s) took 7.5 s.
    assert elapsed < 5


def test_local_protocol_error_not_retried():
    transport = BrokenRequestTransport()
    delays = []
    url = "http://127.0.0.1:9/v1/key/abc/projects/1"
    with OpenRosaClient(url, transport=transport, sleep=delays.append) as client:
        with pytest.raises(SendError, match="LocalProtocolError: illegal header value"):
            client.send(instance(new_instance_id()))
    assert transport.calls == 1
    assert delays == []


@pytest.mark.parametrize(
    ("case", "status", "methods"),
    [
        ("wrong token", 401, ["HEAD"]),
        ("unknown project", 404, ["HEAD"]),
        ("invalid XML", 400, ["HEAD", "POST"]),
        ("changed duplicate", 409, ["HEAD", "POST", "POST"]),
        ("file too large", 413, ["HEAD", "POST"]),
    ],
)
def test_client_errors_not_retried(server, admin, case, status, methods):
    url = _server_url(server, admin)
    instance_id = new_instance_id()
    xml = instance(instance_id)
    files = []
    settings = server.app.state.settings
    saved_limit = settings.max_submission_bytes

    if case == "wrong token":
        url = url.replace(_token(url), WRONG_TOKEN)
    elif case == "unknown project":
        url = url.replace("/projects/1", "/projects/99")
    elif case == "invalid XML":
        xml = b"<data"
    elif case == "file too large":
        settings.max_submission_bytes = 5000
        xml = instance(instance_id, photo="photo.png")
        files = [Attachment("photo.png", b"p" * 6000)]

    transport = RecordingTransport()
    delays = []
    try:
        with OpenRosaClient(url, transport=transport, sleep=delays.append) as client:
            if case == "changed duplicate":
                client.send(xml)
                xml = instance(instance_id, name="Changed")
            with pytest.raises(SendError) as raised:
                client.send(xml, files)
    finally:
        settings.max_submission_bytes = saved_limit

    assert raised.value.status == status
    assert transport.methods == methods
    assert delays == []


def test_cli_stops_after_rejected_token(
    server, admin, tmp_path, monkeypatch, capsys, caplog
):
    url = _server_url(server, admin)
    _write_instances(tmp_path, 3)
    transport = RecordingTransport()
    monkeypatch.setattr(
        sync.__main__,
        "OpenRosaClient",
        functools.partial(OpenRosaClient, transport=transport),
    )
    argv = [
        "send",
        "--server",
        url.replace(_token(url), WRONG_TOKEN),
        "--dir",
        str(tmp_path),
    ]
    code = sync.__main__.main(argv)
    errors = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
    ]
    assert code == 1
    assert transport.methods == ["HEAD"]
    assert "sent 0 of 3; 1 failed; 2 not sent" in capsys.readouterr().out
    assert len(errors) == 1
    assert "returned 401" in errors[0]
    assert "Rescan the project's QR code" in errors[0]
    assert "check the server URL and its token" in errors[0]


def test_revoked_token_stops_run(server, admin):
    publish_photo_form(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, "photo_survey")
    url = f"{server.url}/v1/key/{app_user.token}/projects/1"
    transport = RecordingTransport()
    with OpenRosaClient(url, transport=transport) as client:
        client.send(instance(new_instance_id()))
        revoked = admin.delete(f"/v1/projects/1/app-users/{app_user.id}")
        assert revoked.status_code == 200, revoked.text
        with pytest.raises(ServerURLError) as raised:
            client.send(instance(new_instance_id()))
    assert raised.value.status == 401
    assert transport.methods == ["HEAD", "POST", "POST", "HEAD"]
    assert "Rescan the project's QR code" in str(raised.value)


def test_unassigned_form_fails_alone(
    server, admin, tmp_path, monkeypatch, capsys, caplog
):
    url = _server_url(server, admin)
    publish_photo_form(admin, "other_form")
    _write_instances(tmp_path, 1, form_id="other_form")
    _write_instances(tmp_path, 2)
    transport = RecordingTransport()
    monkeypatch.setattr(
        sync.__main__,
        "OpenRosaClient",
        functools.partial(OpenRosaClient, transport=transport),
    )
    code = sync.__main__.main(["send", "--server", url, "--dir", str(tmp_path)])
    errors = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
    ]
    assert code == 1
    assert transport.methods == ["HEAD", "POST", "HEAD", "POST", "POST"]
    assert "sent 2 of 3; 1 failed" in capsys.readouterr().out
    assert len(errors) == 1
    assert "instance=other_form_0" in errors[0]
    assert "probably not assigned to the app user" in errors[0]
