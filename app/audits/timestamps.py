"""Parse the ``start`` and ``end`` filters of ``GET /v1/audits`` as ODK Central does.

Central (central-backend ``lib/model/query/audits.js``) passes both strings unchanged to
PostgreSQL as ``timestamptz`` values, so they follow PostgreSQL's input rules. Its API
documentation promises ISO 8601: a date alone means midnight, the zone is ``z``/``Z``
or an offset such as ``+08``, and a value without a zone is in the server's local time,
which is UTC in Central's Docker deployment. Kazi reads such values as UTC.

NOTE: Kazi accepts the ISO 8601 forms matched below, not everything PostgreSQL does.
Week and ordinal dates, zone names (``UTC``, ``Africa/Nairobi``), PostgreSQL's words
(``epoch``, ``today``), years outside 1-9999 and a time without colons after a space
get a 400. So do values PostgreSQL rejects, which Central does not turn into a 400.
"""

import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from app import errors

EXPECTED = (
    "expected an ISO 8601 date or time such as 2000-01-01Z or 2000-01-01T12:00:00+08:00,"
    " with '+' sent as %2B in the URL"
)

_TIMESTAMP = re.compile(
    r"""
    (?P<year>\d{4}) (?P<date_dash>-?) (?P<month>\d{2}) (?P=date_dash) (?P<day>\d{2})
    (?:
        # A time follows a T, or a space only when it has colons, because an unencoded
        # '+' arrives as a space and '2000-01-01 0800' must not pass for 08:00 UTC.
        (?: \s* [Tt] \s* | \s+ (?=\d{2}:) )
        (?:
            # PostgreSQL reads hh:mm.fff as minutes:seconds.fraction with hour 0.
            (?P<short_minute>\d{2}) : (?P<short_second>\d{2}) \. (?P<short_fraction>\d*)
          | (?P<hour>\d{2}) (?P<time_colon>:?) (?P<minute>\d{2})
            (?: (?P=time_colon) (?P<second>\d{2}) (?: \. (?P<fraction>\d*) )? )?
        )
    )?
    \s*
    (?:
        (?P<utc>[Zz])
      | (?P<sign>[+-]) (?P<offset_hour>\d{1,2}) (?: :? (?P<offset_minute>\d{2}) )?
    )?
    """,
    re.VERBOSE | re.ASCII,
)

# PostgreSQL rejects a zone offset of 16 hours or more.
_MAX_OFFSET = timedelta(hours=16)


def parse_timestamp(field: str, value: str) -> datetime:
    """Parse an ISO 8601 date or date and time, returning an aware UTC datetime.

    A date alone means midnight at its start. A value without a zone is UTC. Raises
    400.8 naming ``field`` and ``value`` when the value is not such a timestamp.
    """
    match = _TIMESTAMP.fullmatch(value.strip())
    if match is None:
        raise errors.unexpected_value(field, value, EXPECTED)
    try:
        return _to_datetime(match)
    except (ValueError, OverflowError) as error:
        raise errors.unexpected_value(field, value, f"{error}, {EXPECTED}") from error


def _to_datetime(match: re.Match[str]) -> datetime:
    midnight = datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        tzinfo=timezone(_zone_offset(match)),
    )
    hour = minute = second = 0
    fraction = ""
    if match["short_minute"] is not None:
        minute = int(match["short_minute"])
        second = int(match["short_second"])
        fraction = match["short_fraction"]
    elif match["hour"] is not None:
        hour = int(match["hour"])
        minute = int(match["minute"])
        second = int(match["second"] or 0)
        fraction = match["fraction"] or ""
    microseconds = round(Decimal("0." + (fraction or "0")) * 1_000_000)

    end_of_day = hour == 24 and minute == 0 and second == 0 and microseconds == 0
    if hour > 23 and not end_of_day:
        raise ValueError("hour out of range")
    if minute > 59:
        raise ValueError("minute out of range")
    # PostgreSQL accepts a leap second (60) and carries it into the next minute.
    if second > 60:
        raise ValueError("second out of range")

    time_of_day = timedelta(
        hours=hour, minutes=minute, seconds=second, microseconds=microseconds
    )
    return (midnight + time_of_day).astimezone(UTC)


def _zone_offset(match: re.Match[str]) -> timedelta:
    if match["sign"] is None:
        return timedelta(0)
    offset = timedelta(
        hours=int(match["offset_hour"]), minutes=int(match["offset_minute"] or 0)
    )
    if int(match["offset_minute"] or 0) > 59 or offset >= _MAX_OFFSET:
        raise ValueError("time zone offset out of range (at most 15:59)")
    return -offset if match["sign"] == "-" else offset
