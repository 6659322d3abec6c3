"""The start and end filters of GET /v1/audits take the timestamps ODK Central takes."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from app.audits.models import Audit
from app.audits.timestamps import parse_timestamp
from app.errors import Problem

PROBE = "test.time_probe"

# The audits the tests below filter, by label.
LOGGED_AT = {
    "dec31 15:59:59": datetime(1999, 12, 31, 15, 59, 59, tzinfo=UTC),
    "dec31 16:00": datetime(1999, 12, 31, 16, 0, tzinfo=UTC),
    "jan1 00:00": datetime(2000, 1, 1, 0, 0, tzinfo=UTC),
    "jan1 12:00": datetime(2000, 1, 1, 12, 0, tzinfo=UTC),
    "jan2 00:00": datetime(2000, 1, 2, 0, 0, tzinfo=UTC),
}

# Labels the API returns, newest first: from 2000-01-01T00:00Z on, from 12:00Z that
# day on, and before 2000-01-02T00:00Z.
FROM_JAN1 = ["jan2 00:00", "jan1 12:00", "jan1 00:00"]
FROM_JAN1_NOON = ["jan2 00:00", "jan1 12:00"]
BEFORE_JAN2 = ["jan1 12:00", "jan1 00:00", "dec31 16:00", "dec31 15:59:59"]


@pytest.fixture
def probes(server):
    with Session(server.engine) as db:
        for label, logged_at in LOGGED_AT.items():
            db.add(Audit(action=PROBE, details={"label": label}, logged_at=logged_at))
        db.commit()


def _labels(admin, query: str) -> list[str]:
    response = admin.get(f"/v1/audits?action={PROBE}&{query}")
    assert response.status_code == 200, response.text
    return [entry["details"]["label"] for entry in response.json()]


@pytest.mark.usefixtures("probes")
def test_date_with_utc_zone(admin):
    assert _labels(admin, "start=2000-01-01z") == FROM_JAN1
    assert _labels(admin, "start=2000-01-01Z") == FROM_JAN1
    assert _labels(admin, "end=2000-01-01z") == ["dec31 16:00", "dec31 15:59:59"]


@pytest.mark.usefixtures("probes")
def test_date_with_offset(admin):
    assert _labels(admin, "start=2000-01-01%2B08&end=2000-01-01z") == ["dec31 16:00"]
    assert _labels(admin, "end=2000-01-01%2B08") == ["dec31 15:59:59"]
    assert _labels(admin, "start=2000-01-01%2B08:00&end=2000-01-01%2B0800") == []
    assert _labels(admin, "start=2000-01-01-12") == FROM_JAN1_NOON


@pytest.mark.usefixtures("probes")
def test_end_is_exclusive(admin):
    one_day = "start=2000-01-01z&end=2000-01-02z"
    assert _labels(admin, one_day) == ["jan1 12:00", "jan1 00:00"]
    assert _labels(admin, "end=2000-01-01T12:00:00.001Z") == BEFORE_JAN2
    assert _labels(admin, "end=2000-01-01T24:00Z") == BEFORE_JAN2


@pytest.mark.usefixtures("probes")
def test_full_timestamps(admin):
    assert _labels(admin, "start=2000-01-01T12:00:00z") == FROM_JAN1_NOON
    assert _labels(admin, "start=2000-01-01T20:00:00%2B08") == FROM_JAN1_NOON
    # The end value is the example in ODK Central's API documentation.
    both = "start=1999-12-31T15:59:59.5Z&end=2001-01-01T00:00.000z"
    assert _labels(admin, both) == [*FROM_JAN1, "dec31 16:00"]


@pytest.mark.usefixtures("probes")
def test_no_zone_means_utc(admin):
    assert _labels(admin, "start=2000-01-01") == FROM_JAN1
    assert _labels(admin, "start=2000-01-01T12:00:00") == FROM_JAN1_NOON


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "2000-02-30",
        "2000-01-01T25:00Z",
        "2000-01-01T12",
        "2000-01-01+16",
    ],
)
def test_invalid_time_rejected(admin, value):
    response = admin.get("/v1/audits", params={"start": value})
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 400.8
    assert repr(value) in body["message"]
    assert "2000-01-01Z" in body["message"]
    assert body["details"]["field"] == "start"


def test_unencoded_plus_rejected(admin):
    # A '+' left unencoded in a query string arrives as a space.
    response = admin.get("/v1/audits?end=2000-01-01T12:00:00+08")
    assert response.status_code == 400, response.text
    assert "'2000-01-01T12:00:00 08'" in response.json()["message"]
    assert "%2B" in response.json()["message"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2000-01-01z", datetime(2000, 1, 1, tzinfo=UTC)),
        ("2000-01-01+08", datetime(1999, 12, 31, 16, tzinfo=UTC)),
        ("2000-01-01+0530", datetime(1999, 12, 31, 18, 30, tzinfo=UTC)),
        ("20000101", datetime(2000, 1, 1, tzinfo=UTC)),
        ("20000101T121212Z", datetime(2000, 1, 1, 12, 12, 12, tzinfo=UTC)),
        ("2000-01-01 12:12:12.5-08:30", datetime(2000, 1, 1, 20, 42, 12, 500000, UTC)),
        ("2000-01-01t01:02z", datetime(2000, 1, 1, 1, 2, tzinfo=UTC)),
        ("2000-01-01T01:02:03 Z", datetime(2000, 1, 1, 1, 2, 3, tzinfo=UTC)),
        ("2000-01-01T01:02:03.1234567Z", datetime(2000, 1, 1, 1, 2, 3, 123457, UTC)),
        ("2000-01-01T23:59:59.9999995Z", datetime(2000, 1, 2, tzinfo=UTC)),
        ("2000-01-01T23:59:60Z", datetime(2000, 1, 2, tzinfo=UTC)),
        # PostgreSQL, and so ODK Central, reads hh:mm.fff as minutes and seconds.
        ("2000-01-01T01:02.500z", datetime(2000, 1, 1, 0, 1, 2, 500000, UTC)),
        ("2000-01-01T12:00+8", datetime(2000, 1, 1, 4, tzinfo=UTC)),
        (" 2000-01-01 ", datetime(2000, 1, 1, tzinfo=UTC)),
    ],
)
def test_parse_timestamp_forms(value, expected):
    assert parse_timestamp("start", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2000-01-01 08",
        "2000-01-01 0800",
        "2000-0101",
        "2000-01-01T",
        "2000-01-01T23:60Z",
        "2000-01-01T24:00:01Z",
        "2000-01-01T12:12:12,5Z",
        "2000-01-01T12:00+08:60",
        "2000-W01-1",
        "0000-01-01",
        "9999-12-31T24:00Z",
        "\u0662\u0660\u0660\u0660-01-01",
    ],
)
def test_parse_timestamp_rejects(value):
    with pytest.raises(Problem) as raised:
        parse_timestamp("end", value)
    assert raised.value.code == 400.8
    assert repr(value) in raised.value.message
