"""Plan and run a parsed SOQL query against the sandbox's records.

``plan_query`` resolves names against the schema (unknown column → INVALID_FIELD, unknown object →
INVALID_TYPE), checks each literal against its field's type as Salesforce does (a quoted datetime
is an error) and compiles WHERE into a predicate. ``run_plan`` filters, orders and limits.

Semantics followed: text comparisons and LIKE are case-insensitive; ids compare exactly; a null
field fails every comparison except ``!=`` and ``= null``; ASC puts nulls first, DESC last.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from integrations.salesforce.sandbox.schema import NUMBER_TYPES, TEXT_TYPES, ChildRelationship, FieldDef, ObjectDef
from integrations.salesforce.sandbox.soql_parser import (
    BoolOp,
    Comparison,
    Cond,
    InList,
    LikeMatch,
    NotOp,
    Query,
    SoqlSyntaxError,
    Value,
    decode_string,
    like_regex,
    parse,
)
from integrations.salesforce.sandbox.values import parse_datetime

Row = dict[str, Any]
Predicate = Callable[[Row], bool]
_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
_OPS: dict[str, Callable[[Any, Any], bool]] = {"=": operator.eq, "!=": operator.ne, "<": operator.lt,
                                               "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_TYPE_NAMES = {"datetime": "dateTime", "date": "date", "boolean": "boolean", "int": "int"}


class QueryError(Exception):
    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.message = message


class Records(Protocol):
    schema: dict[str, ObjectDef]

    def rows(self, sobject: str, include_deleted: bool) -> Iterable[Row]: ...

    def lookup(self, sobject: str, record_id: str) -> Row | None: ...

    def children(self, sobject: str, field: str, parent_id: str, include_deleted: bool) -> list[Row]: ...


@dataclass(frozen=True)
class Column:
    """A selected or filtered path: reference fields walked (with their target objects), then a field."""

    steps: tuple[tuple[FieldDef, ObjectDef], ...]
    field: FieldDef

    def getter(self, records: Records) -> Callable[[Row], Any]:
        name = self.field.name
        if not self.steps:
            return lambda row: row.get(name)

        def walk(row: Row | None) -> Any:
            for ref, target in self.steps:
                parent_id = row.get(ref.name) if row else None
                row = records.lookup(target.name, parent_id) if parent_id else None
            return row.get(name) if row else None
        return walk


@dataclass
class ChildSelect:
    relationship: ChildRelationship
    plan: Plan


@dataclass
class Plan:
    obj: ObjectDef
    columns: list[Column | ChildSelect]
    predicate: Predicate | None = None
    order: list[tuple[Callable[[Row], Any], bool, bool]] = field(default_factory=list)  # getter, desc, nulls_last
    limit: int | None = None
    offset: int = 0
    count_only: bool = False
    renderers: list[Any] | None = None  # filled by soql_render on first use


def plan_query(text: str, records: Records) -> Plan:
    try:
        query = parse(text)
    except SoqlSyntaxError as exc:
        raise QueryError("MALFORMED_QUERY", str(exc)) from None
    obj = records.schema.get(query.sobject.lower())
    if obj is None:
        raise QueryError("INVALID_TYPE", f"sObject type '{query.sobject}' is not supported. If you are attempting "
                         "to use a custom object, be sure to append the '__c' after the entity name. Please "
                         "reference your WSDL or the describe call for the appropriate names.")
    try:
        return _plan(query, obj, records, nested=False)
    except SoqlSyntaxError as exc:
        raise QueryError("MALFORMED_QUERY", str(exc)) from None


def _plan(query: Query, obj: ObjectDef, records: Records, nested: bool) -> Plan:
    plan = Plan(obj, [], limit=query.limit, offset=query.offset, count_only=query.count_only)
    for item in query.items:
        if isinstance(item, Query):
            plan.columns.append(_child_select(item, obj, records, nested))
        else:
            plan.columns.append(resolve(obj, item, records.schema))
    if query.where is not None:
        plan.predicate = _compile(query.where, obj, records)
    for order in query.order_by:
        column = resolve(obj, order.path, records.schema)
        plan.order.append((_normalised(column, records), order.descending, order.nulls_last))
    return plan


def _child_select(query: Query, obj: ObjectDef, records: Records, nested: bool) -> ChildSelect:
    if nested:
        raise QueryError("MALFORMED_QUERY", "a subquery cannot contain another subquery")
    relationship = obj.children.get(query.sobject.lower())
    if relationship is None:
        raise QueryError("INVALID_TYPE", f"Didn't understand relationship '{query.sobject}' in FROM part of query "
                         "call. If you are attempting to use a custom relationship, be sure to append the '__r' "
                         "after the custom relationship name.")
    child = records.schema[relationship.child_object.lower()]
    return ChildSelect(relationship, _plan(query, child, records, nested=True))


def resolve(obj: ObjectDef, path: str, schema: dict[str, ObjectDef]) -> Column:
    parts = path.split(".")
    steps: list[tuple[FieldDef, ObjectDef]] = []
    current = obj
    for relationship in parts[:-1]:
        ref = current.parent(relationship)
        target = schema.get((ref.reference_to or "").lower()) if ref else None
        if ref is None or target is None:
            raise QueryError("INVALID_FIELD", f"Didn't understand relationship '{relationship}' in field path. If "
                             "you are attempting to use a custom relationship, be sure to append the '__r' after "
                             "the custom relationship name. Please reference your WSDL or the describe call for "
                             "the appropriate names.")
        steps.append((ref, target))
        current = target
    found = current.field(parts[-1])
    if found is None:
        raise QueryError("INVALID_FIELD", f"No such column '{parts[-1]}' on entity '{current.name}'. If you are "
                         "attempting to use a custom field, be sure to append the '__c' after the custom field "
                         "name. Please reference your WSDL or the describe call for the appropriate names.")
    return Column(tuple(steps), found)


def _is_case_folded(f: FieldDef) -> bool:
    return f.type in TEXT_TYPES and f.type not in ("id", "reference")


def _normalised(column: Column, records: Records) -> Callable[[Row], Any]:
    get = column.getter(records)
    if not _is_case_folded(column.field):
        return get
    return lambda row: v.lower() if isinstance(v := get(row), str) else v


def typed_literal(column: Column, value: Value, path: str) -> Any:
    """The Python value a literal stands for, or QueryError when it does not fit the field's type."""
    kind = column.field.type
    if value.kind == "null":
        return None
    if kind in TEXT_TYPES:
        _require(value, "string", path, "string", quoted=True)
        text = decode_string(value.text)
        if kind in ("id", "reference") and not _ID.fullmatch(text):
            raise QueryError("INVALID_QUERY_FILTER_OPERATOR", f"invalid ID field: {text}")
        return text.lower() if _is_case_folded(column.field) else text
    if kind in NUMBER_TYPES:
        _require(value, "number", path, _TYPE_NAMES.get(kind, "double"), quoted=False)
        return Decimal(value.text)
    _require(value, kind, path, _TYPE_NAMES.get(kind, kind), quoted=False)
    if kind == "boolean":
        return value.text == "true"
    if kind == "date":
        return date.fromisoformat(value.text)
    return parse_datetime(value.text)


def _require(value: Value, kind: str, path: str, type_name: str, quoted: bool) -> None:
    if value.kind != kind:
        hint = "should be enclosed in quotes" if quoted else "should not be enclosed in quotes"
        raise QueryError("INVALID_QUERY_FILTER_OPERATOR",
                         f"value of filter criterion for field '{path}' must be of type {type_name} and {hint}")


def _compile(cond: Cond, obj: ObjectDef, records: Records) -> Predicate:
    if isinstance(cond, BoolOp):
        parts = [_compile(c, obj, records) for c in cond.operands]
        if cond.op == "AND":
            return lambda row: all(p(row) for p in parts)
        return lambda row: any(p(row) for p in parts)
    if isinstance(cond, NotOp):
        inner = _compile(cond.operand, obj, records)
        return lambda row: not inner(row)
    column = resolve(obj, cond.path, records.schema)
    get = _normalised(column, records)
    if isinstance(cond, LikeMatch):
        return _compile_like(cond, column, get)
    if isinstance(cond, InList):
        wanted = {typed_literal(column, v, cond.path) for v in cond.values}
        return (lambda row: get(row) not in wanted) if cond.negated else (lambda row: get(row) in wanted)
    return _compile_comparison(cond, column, get)


def _compile_like(cond: LikeMatch, column: Column, get: Callable[[Row], Any]) -> Predicate:
    if column.field.type not in TEXT_TYPES or column.field.type == "id":
        raise QueryError("INVALID_QUERY_FILTER_OPERATOR", f"invalid operator on {column.field.type} field: LIKE")
    pattern = like_regex(cond.pattern.text)
    return lambda row: isinstance(v := get(row), str) and pattern.fullmatch(v) is not None


def _compile_comparison(cond: Comparison, column: Column, get: Callable[[Row], Any]) -> Predicate:
    expected = typed_literal(column, cond.value, cond.path)
    op = cond.op
    if expected is None:
        if op not in ("=", "!="):
            raise QueryError("MALFORMED_QUERY", f"null can only be compared with = or !=, not {op}")
        return (lambda row: get(row) is None) if op == "=" else (lambda row: get(row) is not None)
    if column.field.type == "boolean" and op not in ("=", "!="):
        raise QueryError("INVALID_QUERY_FILTER_OPERATOR", f"invalid operator on boolean field: {op}")
    compare = _OPS[op]

    def matches(row: Row) -> bool:
        actual = get(row)
        return op == "!=" if actual is None else compare(actual, expected)
    return matches


def run_plan(plan: Plan, rows: Iterable[Row]) -> list[Row]:
    """The rows a plan selects, in its order, after OFFSET and LIMIT."""
    selected = [r for r in rows if plan.predicate(r)] if plan.predicate else list(rows)
    for get, descending, nulls_last in reversed(plan.order):
        present = [r for r in selected if get(r) is not None]
        missing = [r for r in selected if get(r) is None]
        present.sort(key=get, reverse=descending)
        selected = present + missing if nulls_last else missing + present
    end = None if plan.limit is None else plan.offset + plan.limit
    return selected[plan.offset:end]
