"""JSON in and out with money kept exact: decode numbers with a fraction as ``Decimal``; encode
``Decimal`` as a JSON number written exactly as the Decimal reads (``240.00``, never a string:
the spec types money as ``number``) and dates as ``YYYY-MM-DD`` (what Xero's docs send)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_MARK = "\x00"
_MARKED_NUMBER = re.compile(r'"\\u0000(-?[0-9][0-9.E+-]*)\\u0000"')


def _encode_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        return f"{_MARK}{value}{_MARK}"  # a marked string, unquoted into a number afterwards
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    text = json.dumps(value, default=_encode_default, separators=(",", ":"), ensure_ascii=False)
    return _MARKED_NUMBER.sub(r"\1", text).encode()


def loads(content: bytes | str) -> Any:
    return json.loads(content, parse_float=Decimal)
