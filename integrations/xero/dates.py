"""Xero's dates: ``/Date(1539993600000+0000)/`` (epoch milliseconds, optional offset) or ISO 8601.

The millisecond number is the instant; the offset suffix is only its display zone (as
xero-python reads it, FACTS.md §4). Date-only fields are midnight UTC. Naive ISO strings
(``DateString``, ``UpdatedDateUTCString``) are UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def parse_xero_datetime(value: Any) -> Any:
    """An aware UTC datetime from a Xero value; anything else is returned for pydantic to reject."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        return value
    parsed = _datetime_from_text(value)
    return value if parsed is None else parsed


@lru_cache(maxsize=16_384)  # a page repeats its dates (invoice dates, due dates): parse each text once
def _datetime_from_text(value: str) -> datetime | None:
    match = _MS_DATE.match(value.strip())
    if match:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_xero_date(value: Any) -> Any:
    """A date from a Xero value (``/Date(...)/`` midnight UTC, ``2018-10-20`` or ``2018-10-20T00:00:00``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        parsed_date = _date_from_text(value)
        return value if parsed_date is None else parsed_date
    parsed = parse_xero_datetime(value)
    return parsed.astimezone(UTC).date() if isinstance(parsed, datetime) else parsed


@lru_cache(maxsize=4_096)
def _date_from_text(value: str) -> date | None:
    parsed = _datetime_from_text(value)
    return parsed.astimezone(UTC).date() if parsed is not None else None


def format_ms_date(value: date | datetime) -> str:
    """``/Date(ms+0000)/`` for a date (midnight UTC) or an aware datetime."""
    instant = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day, tzinfo=UTC)
    return f"/Date({int(instant.timestamp() * 1000)}+0000)/"


def format_if_modified_since(value: datetime) -> str:
    """The ``If-Modified-Since`` header value: UTC, to the second, ``2020-01-01T00:00:00``."""
    instant = value.astimezone(UTC) if value.tzinfo else value
    return instant.strftime("%Y-%m-%dT%H:%M:%S")


XeroDateTime = Annotated[datetime, BeforeValidator(parse_xero_datetime)]
XeroDate = Annotated[date, BeforeValidator(parse_xero_date)]
