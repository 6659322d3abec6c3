"""Concurrent resends over real HTTP: one submission, every device gets 201."""

import threading

from sqlalchemy import text

from tests.odk_collect import assign, collect_client, create_app_user
from tests.submissions.helpers import (
    PNG,
    instance,
    multipart,
    new_instance_id,
    publish_photo_form,
    submission_url,
)


def _race(server, token: str, bodies: list[bytes]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)

    def send(index: int) -> None:
        with collect_client(server, token) as device:
            files = multipart(bodies[index], {"photo.png": PNG})
            barrier.wait()
            statuses[index] = device.post("/submission", files=files).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_concurrent_resends_stored_once(server, admin):
    publish_photo_form(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, "photo_survey")
    instance_id = new_instance_id()
    same = instance(instance_id, photo="photo.png")
    different = instance(instance_id, name="Changed", photo="photo.png")

    statuses = _race(server, app_user.token, [same] * 20 + [different])

    # The different XML may lose the race or win it; either way exactly one
    # version of the submission is stored and the others get a response that says so.
    identical, odd = statuses[:20], statuses[20]
    stored = admin.get(submission_url("photo_survey", instance_id) + ".xml").content
    if stored == same:
        assert identical == [201] * 20
        assert odd == 409
    else:
        assert stored == different
        assert odd == 201
        assert identical == [409] * 20
    with server.engine.connect() as connection:
        counts = [
            connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608 - fixed names
            for table in ("submission", "submission_def", "submission_attachment")
        ]
    assert counts == [1, 1, 1]
    audits = admin.get("/v1/audits", params={"action": "submission.create"}).json()
    assert len(audits) == 1


def test_concurrent_edits_of_one_version(server, admin):
    publish_photo_form(admin)
    app_user = create_app_user(admin)
    assign(admin, app_user, "photo_survey")
    original = new_instance_id()
    with collect_client(server, app_user.token) as device:
        assert (
            device.post("/submission", files=multipart(instance(original))).status_code
            == 201
        )
    edits = [
        instance(new_instance_id(), name=f"Edit {i}", deprecated_id=original)
        for i in range(8)
    ]

    statuses = _race(server, app_user.token, edits)

    assert sorted(statuses) == [201] + [409] * 7
    versions = admin.get(submission_url("photo_survey", original) + "/versions").json()
    assert len(versions) == 2
    assert [v["current"] for v in versions] == [True, False]
