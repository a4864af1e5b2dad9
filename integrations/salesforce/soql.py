"""A small SOQL builder: field names from a whitelist, every value through the escaper.

User text never reaches a query except through ``literal``/``quote`` (string literals escaped
by Salesforce's table) or ``Like`` (which also escapes ``%`` and ``_`` and adds wildcards only
where the caller asked for them). Field and object names must look like API names
(``Account.Name``, ``Xero_Invoice_Number__c``); anything else is refused.

    Select("Account", ["Id", "Name"], where=like("Name", Like.contains(text)), order_by=["Name"]).render()
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Literal, Protocol

SoqlValue = str | bool | int | Decimal | date | datetime | None

_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")
_OBJECT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")

# Salesforce's quoted-string escapes; other control characters go out as \uXXXX.
_STRING_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                   "\b": "\\b", "\f": "\\f"}
_STRING_TABLE = str.maketrans(
    {**{chr(c): f"\\u{c:04x}" for c in range(0x20)}, **_STRING_ESCAPES})
_LIKE_TABLE = str.maketrans({**{chr(c): f"\\u{c:04x}" for c in range(0x20)}, **_STRING_ESCAPES,
                             "%": "\\%", "_": "\\_"})


class SoqlError(ValueError):
    """A query could not be built safely (bad field name, unsupported value, empty IN list)."""


def field_name(name: str) -> str:
    """``name`` if it is an API name or a relationship path (``Owner.Email``); else SoqlError."""
    if not isinstance(name, str) or not _FIELD.fullmatch(name):
        raise SoqlError(f"not a Salesforce field name: {name!r}")
    return name


def object_name(name: str) -> str:
    if not isinstance(name, str) or not _OBJECT.fullmatch(name):
        raise SoqlError(f"not a Salesforce object name: {name!r}")
    return name


def escape(text: str) -> str:
    """The body of a SOQL string literal for ``text`` (no quotes added)."""
    return text.translate(_STRING_TABLE)


def quote(text: str) -> str:
    """``text`` as a complete SOQL string literal."""
    return "'" + escape(text) + "'"


def format_datetime(value: datetime) -> str:
    """An unquoted UTC datetime literal, whole seconds (floored: a cursor re-reads, never skips)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise SoqlError("datetime values must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def literal(value: SoqlValue) -> str:
    """Render one value: strings quoted and escaped, dates and datetimes unquoted, numbers exact."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise SoqlError(f"not a finite number: {value}")
        return format(value, "f")
    raise SoqlError(f"unsupported SOQL value type: {type(value).__name__} (use str, int, Decimal, date, datetime)")


@dataclass(frozen=True)
class Like:
    """A LIKE pattern from user text: the text matches literally; wildcards only at the ends asked for."""

    text: str
    any_before: bool = False
    any_after: bool = False

    @classmethod
    def contains(cls, text: str) -> Like:
        return cls(text, True, True)

    @classmethod
    def starts_with(cls, text: str) -> Like:
        return cls(text, False, True)

    @classmethod
    def ends_with(cls, text: str) -> Like:
        return cls(text, True, False)

    @classmethod
    def exactly(cls, text: str) -> Like:
        """Case-insensitive equality, as LIKE compares."""
        return cls(text, False, False)

    def render(self) -> str:
        body = self.text.translate(_LIKE_TABLE)
        return "'" + ("%" if self.any_before else "") + body + ("%" if self.any_after else "") + "'"


class Condition(Protocol):
    def render(self) -> str: ...


class Operator(Enum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@dataclass(frozen=True)
class Compare:
    field: str
    operator: Operator
    value: SoqlValue

    def render(self) -> str:
        return f"{field_name(self.field)} {self.operator.value} {literal(self.value)}"


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[SoqlValue, ...]
    negated: bool = False

    def render(self) -> str:
        if not self.values:
            raise SoqlError(f"empty IN list for {self.field}")
        keyword = "NOT IN" if self.negated else "IN"
        return f"{field_name(self.field)} {keyword} ({', '.join(literal(v) for v in self.values)})"


@dataclass(frozen=True)
class LikeCondition:
    field: str
    pattern: Like

    def render(self) -> str:
        return f"{field_name(self.field)} LIKE {self.pattern.render()}"


@dataclass(frozen=True)
class Junction:
    """AND or OR of two or more conditions; compound operands are parenthesised (SOQL has no precedence)."""

    keyword: Literal["AND", "OR"]
    conditions: tuple[Condition, ...]

    def render(self) -> str:
        return f" {self.keyword} ".join(_operand(c) for c in self.conditions)


@dataclass(frozen=True)
class Not:
    condition: Condition

    def render(self) -> str:
        return f"NOT ({self.condition.render()})"


def _operand(condition: Condition) -> str:
    text = condition.render()
    return f"({text})" if isinstance(condition, Junction | Not) else text


def eq(field: str, value: SoqlValue) -> Compare:
    return Compare(field, Operator.EQ, value)


def ne(field: str, value: SoqlValue) -> Compare:
    return Compare(field, Operator.NE, value)


def lt(field: str, value: SoqlValue) -> Compare:
    return Compare(field, Operator.LT, value)


def le(field: str, value: SoqlValue) -> Compare:
    return Compare(field, Operator.LE, value)


def gt(field: str, value: SoqlValue) -> Compare:
    return Compare(field, Operator.GT, value)


def ge(field: str, value: SoqlValue) -> Compare:
    return Compare(field, Operator.GE, value)


def in_(field: str, values: Iterable[SoqlValue]) -> In:
    return In(field, tuple(values))


def not_in(field: str, values: Iterable[SoqlValue]) -> In:
    return In(field, tuple(values), negated=True)


def like(field: str, pattern: Like) -> LikeCondition:
    return LikeCondition(field, pattern)


def _junction(keyword: Literal["AND", "OR"], conditions: Sequence[Condition | None]) -> Condition:
    present = tuple(c for c in conditions if c is not None)
    if not present:
        raise SoqlError(f"{keyword} of no conditions")
    return present[0] if len(present) == 1 else Junction(keyword, present)


def and_(*conditions: Condition | None) -> Condition:
    """All of the conditions (``None`` entries are skipped, so optional filters compose)."""
    return _junction("AND", conditions)


def or_(*conditions: Condition | None) -> Condition:
    return _junction("OR", conditions)


def not_(condition: Condition) -> Not:
    return Not(condition)


@dataclass(frozen=True)
class Order:
    field: str
    descending: bool = False
    nulls: Literal["first", "last"] | None = None

    def render(self) -> str:
        text = field_name(self.field) + (" DESC" if self.descending else " ASC")
        return text + (f" NULLS {self.nulls.upper()}" if self.nulls else "")


@dataclass(frozen=True)
class Select:
    """``SELECT fields FROM sobject [WHERE] [ORDER BY] [LIMIT]``; a nested Select in ``fields`` is a
    child relationship subquery (its ``sobject`` is the relationship name, e.g. OpportunityLineItems)."""

    sobject: str
    fields: Sequence[str | Select]
    where: Condition | None = None
    order_by: Sequence[str | Order] = ()
    limit: int | None = None

    def render(self) -> str:
        if not self.fields:
            raise SoqlError("SELECT needs at least one field")
        columns = ", ".join(f"({f.render()})" if isinstance(f, Select) else field_name(f) for f in self.fields)
        # Names pass field_name/object_name, values pass literal(): nothing here is raw user text.
        parts = [f"SELECT {columns} FROM {object_name(self.sobject)}"]  # noqa: S608
        if self.where is not None:
            parts.append(f"WHERE {self.where.render()}")
        if self.order_by:
            orders = [o if isinstance(o, Order) else Order(o) for o in self.order_by]
            parts.append("ORDER BY " + ", ".join(o.render() for o in orders))
        if self.limit is not None:
            if not isinstance(self.limit, int) or isinstance(self.limit, bool) or self.limit < 0:
                raise SoqlError(f"LIMIT must be a non-negative integer, not {self.limit!r}")
            parts.append(f"LIMIT {self.limit}")
        return " ".join(parts)
