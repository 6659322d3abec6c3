"""Who may reach the OpenRosa URLs: app-user token URLs, Basic auth, other projects."""

import base64
import logging
import threading
import time
from urllib.parse import urlsplit

import httpx
import uvicorn
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, log_in, make_user
from odk_collect import (
    assign,
    collect_client,
    create_app_user,
    openrosa_message,
    parse_form_list,
    parse_manifest,
    publish,
    xform,
)

HTTPS = {"X-Forwarded-Proto": "https"}
CSV = b"name,label\na,A\n"


def _basic(email: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def _form_with_csv(admin, project_id=1, form_id="prices"):
    return publish(
        admin,
        xform(form_id, "Prices", csv_files=("markets.csv",)),
        files={"markets.csv": CSV},
        project_id=project_id,
    )


def _openrosa_urls(app_user, form_id="prices"):
    return [
        "/formList",
        f"/forms/{form_id}.xml",
        f"/forms/{form_id}/manifest",
        f"/forms/{form_id}/attachments/markets.csv",
    ]


def test_valid_token_lists_forms(server, admin):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    with collect_client(server, app_user.token) as client:
        responses = [client.get(url) for url in _openrosa_urls(app_user)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200]


def test_unknown_token_rejected(server, admin):
    _form_with_csv(admin)

    with collect_client(server, "not-a-real-token") as client:
        responses = [client.get(url) for url in _openrosa_urls(None)]

    assert [r.status_code for r in responses] == [401, 401, 401, 401]
    assert "authenticate" in openrosa_message(responses[0])


def test_revoked_token_stops_at_once(server, admin):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    with collect_client(server, app_user.token) as client:
        assert client.get("/formList").status_code == 200
        revoked = admin.delete(f"/v1/sessions/{app_user.token}")
        after = [client.get(url) for url in _openrosa_urls(app_user)]

    assert revoked.status_code == 200
    assert [r.status_code for r in after] == [401, 401, 401, 401]
    assert b"<xform>" not in after[0].content


def test_deleted_app_user_rejected(server, admin):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    assert admin.delete(f"/v1/projects/1/app-users/{app_user.id}").status_code == 200
    with collect_client(server, app_user.token) as client:
        after = [client.get(url) for url in _openrosa_urls(app_user)]

    assert [r.status_code for r in after] == [401, 401, 401, 401]


def test_web_session_token_not_accepted_in_key_url(server, admin):
    token = log_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)

    with collect_client(server, token) as client:
        response = client.get("/formList")

    assert response.status_code == 401


def test_listed_urls_keep_token_and_host(server, admin):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    with collect_client(server, app_user.token) as client:
        form = parse_form_list(client.get("/formList"))[0]
        media = parse_manifest(client.get(form["manifestUrl"] + "?deviceID=collect:abc"))[
            0
        ]

    prefix = f"{server.url}/v1/key/{app_user.token}/projects/1/"
    for url in (form["downloadUrl"], form["manifestUrl"], media["downloadUrl"]):
        assert url.startswith(prefix)
        assert urlsplit(url).netloc == urlsplit(server.url).netloc


def test_no_credentials_plain_http_has_no_challenge(server, admin):
    with collect_client(server) as client:
        response = client.get("/formList")

    assert response.status_code == 401
    assert "www-authenticate" not in response.headers
    assert "text/xml" in response.headers["content-type"]


def test_basic_challenge_then_success_over_https(server, admin):
    form_id = _form_with_csv(admin)

    # Collect's flow: ask without credentials, read the challenge, answer it.
    with collect_client(server, headers=HTTPS) as client:
        challenged = client.get("/formList")
        scheme = challenged.headers["www-authenticate"].split()[0]
        answered = client.get("/formList", headers=_basic(ADMIN_EMAIL, ADMIN_PASSWORD))

    assert challenged.status_code == 401
    assert challenged.headers["www-authenticate"] == 'Basic realm="Kazi"'
    assert scheme == "Basic"
    assert answered.status_code == 200
    forms = parse_form_list(answered)
    assert [f["formID"] for f in forms] == [form_id]
    assert forms[0]["downloadUrl"] == f"{server.url}/v1/projects/1/forms/{form_id}.xml"


def test_wrong_password_over_https_is_challenged(server, admin):
    with collect_client(server, headers=HTTPS) as client:
        response = client.get("/formList", headers=_basic(ADMIN_EMAIL, "wrong password!"))

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Kazi"'


def test_basic_over_plain_http_refused(server, admin):
    with collect_client(server) as client:
        response = client.get("/formList", headers=_basic(ADMIN_EMAIL, ADMIN_PASSWORD))

    assert response.status_code == 401
    assert "HTTPS" in openrosa_message(response)
    assert "www-authenticate" not in response.headers


def test_web_user_downloads_over_https(server, admin):
    form_id = _form_with_csv(admin)
    collector = make_user(admin, server, "collector@kazi.test", role="formfill")
    collector.close()
    auth = _basic("collector@kazi.test", "a long enough password")

    with collect_client(server, headers={**HTTPS, **auth}) as client:
        form = parse_form_list(client.get("/formList"))[0]
        download = client.get(form["downloadUrl"] + "?deviceID=collect:abc")
        manifest = client.get(form["manifestUrl"] + "?deviceID=collect:abc")
        media_url = parse_manifest(manifest)[0]["downloadUrl"]
        media = client.get(media_url + "?deviceID=collect:abc")

    assert form["formID"] == form_id
    assert download.status_code == 200
    assert manifest.status_code == 200
    assert media.content == CSV


def test_other_project_hidden_from_app_user(server, admin):
    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    _form_with_csv(admin, project_id=other)
    form_here = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_here)

    with collect_client(server, app_user.token, project_id=other) as client:
        responses = [client.get(url) for url in _openrosa_urls(app_user)]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all(b"markets" not in r.content for r in responses)


def test_other_project_hidden_from_web_user(server, admin):
    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    _form_with_csv(admin, project_id=other)
    _form_with_csv(admin)
    make_user(admin, server, "collector@kazi.test", role="formfill").close()
    auth = _basic("collector@kazi.test", "a long enough password")

    with collect_client(server, project_id=other, headers={**HTTPS, **auth}) as client:
        responses = [client.get(url) for url in _openrosa_urls(None)]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]


def test_app_user_of_other_project_cannot_assign_across(server, admin):
    other = admin.post("/v1/projects", json={"name": "Kenya pilot"}).json()["id"]
    form_there = _form_with_csv(admin, project_id=other)
    app_user = create_app_user(admin)

    response = admin.post(
        f"/v1/projects/{other}/forms/{form_there}/assignments/2/{app_user.id}"
    )

    assert response.status_code == 404


def test_app_user_cannot_use_management_api(server, admin):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)
    base = f"/v1/key/{app_user.token}/projects/1"

    with server.client() as client:
        listing = client.get(f"{base}/app-users")
        creating = client.post(f"{base}/app-users", json={"displayName": "x"})
        publishing = client.post(f"{base}/forms/{form_id}/draft")

    assert listing.status_code == 403
    assert creating.status_code == 403
    assert publishing.status_code == 403


def test_tokens_never_logged(server, admin, caplog):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)
    caplog.set_level(logging.DEBUG)

    with collect_client(server, app_user.token) as client:
        for url in _openrosa_urls(app_user):
            client.get(url)
        client.get("/formList", params={"deviceID": "collect:abc"})
    admin.delete(f"/v1/sessions/{app_user.token}")
    with collect_client(server, app_user.token) as client:
        client.get("/formList")

    access_lines = [r.getMessage() for r in caplog.records if r.name == "kazi.access"]
    assert any("/v1/key/[token]/projects/1/formList" in line for line in access_lines)
    assert any("/v1/sessions/[token]" in line for line in access_lines)
    # httpx and httpcore are this test's own client; every other logger is the server.
    server_lines = [
        r.getMessage()
        for r in caplog.records
        if not r.name.startswith(("httpx", "httpcore"))
    ]
    assert server_lines
    assert not [line for line in server_lines if app_user.token in line]


def test_trailing_slash_keeps_token(server, admin):
    form_id = _form_with_csv(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, form_id)

    with collect_client(server, app_user.token) as client:
        response = client.get("/formList/", follow_redirects=False)

    assert response.status_code == 200
    assert [f["formID"] for f in parse_form_list(response)] == [form_id]


def test_forwarded_proto_from_untrusted_client_ignored(server, admin):
    # A second server for the same app that trusts only another proxy address.
    config = uvicorn.Config(
        server.app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        forwarded_allow_ips="192.0.2.1",
    )
    untrusting = uvicorn.Server(config)
    thread = threading.Thread(target=untrusting.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not untrusting.started:
        assert time.monotonic() < deadline, "second server did not start"
        time.sleep(0.05)
    port = untrusting.servers[0].sockets[0].getsockname()[1]
    try:
        response = httpx.get(
            f"http://127.0.0.1:{port}/v1/projects/1/formList",
            headers={
                "X-OpenRosa-Version": "1.0",
                **HTTPS,
                **_basic(ADMIN_EMAIL, ADMIN_PASSWORD),
            },
        )
    finally:
        untrusting.should_exit = True
        thread.join(timeout=10)

    assert response.status_code == 401
    assert "HTTPS" in openrosa_message(response)
