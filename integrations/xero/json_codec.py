"""JSON in and out with money kept exact: decode numbers with a fraction as ``Decimal``; encode
``Decimal`` as a JSON number (never a string: the spec types money as ``number``) and dates as
``YYYY-MM-DD`` (what Xero's docs send)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def _encode_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        as_float = float(value)
        if Decimal(repr(as_float)) != value:  # numeric comparison: 240.0 == 240.00
            raise ValueError(f"{value} cannot be sent as a JSON number without losing precision")
        return as_float
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    return json.dumps(value, default=_encode_default, separators=(",", ":"), ensure_ascii=False).encode()


def loads(content: bytes | str) -> Any:
    return json.loads(content, parse_float=Decimal)
