"""JSON in and out with money kept exact: decode numbers with a fraction as ``Decimal``; encode
``Decimal`` as a JSON number written exactly as the Decimal reads (``240.00``, never a string:
the spec types money as ``number``) and dates as ``YYYY-MM-DD`` (what Xero's docs send)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# A Decimal is first written as the string "\u0000\u0001<digits>\u0001\u0000", then unquoted. Control
# characters in that order do not occur in accounting text; plain str.replace keeps this at C speed.
_OPEN, _CLOSE = "\x00\x01", "\x01\x00"


def _encode_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        return f"{_OPEN}{value}{_CLOSE}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    text = json.dumps(value, default=_encode_default, separators=(",", ":"), ensure_ascii=False)
    return text.replace('"\\u0000\\u0001', "").replace('\\u0001\\u0000"', "").encode()


def loads(content: bytes | str) -> Any:
    return json.loads(content, parse_float=Decimal)
