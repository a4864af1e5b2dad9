"""Field values between the sandbox's Python records and Salesforce's JSON.

Stored: str, bool, int, Decimal, date, aware UTC datetime, None. Sent: datetimes as
``2013-05-20T20:49:32.000+0000``, dates as ``YYYY-MM-DD``, currency/double/percent as JSON numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from integrations.salesforce.sandbox.schema import NUMBER_TYPES, TEXT_TYPES, FieldDef

_SF_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})")


class FieldValueError(Exception):
    """A value that does not fit its field; ``error_code`` is what Salesforce would answer."""

    def __init__(self, error_code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message
        self.field = field


@functools.lru_cache(maxsize=8192)
def format_datetime(value: datetime) -> str:
    """``2013-05-20T20:49:32.000+0000`` (cached: many records share a SystemModstamp)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "+0000"


def parse_datetime(text: str) -> datetime:
    """ISO-8601 with a zone: ``Z``, ``+00:00`` or Salesforce's ``+0000``."""
    match = _SF_DATETIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a datetime with a zone: {text!r}")
    zone = match.group(2)
    if zone != "Z" and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    return datetime.fromisoformat(match.group(1) + ("+00:00" if zone == "Z" else zone)).astimezone(UTC)


def json_value(value: Any, field_type: str) -> Any:
    return json_converter(field_type)(value)


def _number(value: Any) -> Any:
    return None if value is None else float(value)


def _integer(value: Any) -> Any:
    return None if value is None else int(value)


def _datetime(value: Any) -> Any:
    return None if value is None else format_datetime(value)


def _date(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _same(value: Any) -> Any:
    return value


_CONVERTERS: dict[str, Callable[[Any], Any]] = {"currency": _number, "double": _number, "percent": _number,
                                                "int": _integer, "datetime": _datetime, "date": _date}


def json_converter(field_type: str) -> Callable[[Any], Any]:
    """The function that turns a stored value of this field type into its JSON form."""
    return _CONVERTERS.get(field_type, _same)


def coerce(field: FieldDef, value: Any) -> Any:
    """The stored form of a JSON value written to ``field``, or FieldValueError."""
    if value is None:
        return None
    kind = field.type
    try:
        if kind in TEXT_TYPES:
            return _text(field, value)
        if kind in NUMBER_TYPES:
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
                raise ValueError
            number = Decimal(str(value))
            if not number.is_finite():
                raise ValueError
            return int(number) if kind == "int" else number
        if kind == "boolean":
            if not isinstance(value, bool):
                raise ValueError
            return value
        if kind == "date":
            return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(value)
        if kind == "datetime":
            return value.astimezone(UTC) if isinstance(value, datetime) else parse_datetime(value)
    except (ValueError, TypeError, InvalidOperation, AttributeError):
        raise FieldValueError("JSON_PARSER_ERROR", f"Cannot deserialize instance of {kind} from value {value!r} "
                              f"for field {field.name}", field.name) from None
    return value


def _text(field: FieldDef, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError
    if field.length and len(value) > field.length:
        raise FieldValueError("STRING_TOO_LONG", f"{field.name}: data value too large: {value[:40]} "
                              f"(max length={field.length})", field.name)
    return value
