"""Pages of query results: parsed records, the records that failed validation, and a cursor.

A bad record never stops a sync: ``parse_page`` validates each record on its own and puts the
ones that fail in ``QueryPage.failures`` (raw dict, Id, error text) next to the good ones.

The cursor is ``(SystemModstamp, Id)`` of the page's last record (failed ones included, they are
stored as failures). Many records share a SystemModstamp (it has whole-second precision), so
resuming with only ``SystemModstamp > t`` after a page boundary could skip the rest of second
``t``; ``ModstampCursor.condition()`` resumes after ``(t, id)`` instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from integrations.salesforce.models import CURRENCY_FIELD, SfDateTime, related_model
from integrations.salesforce.soql import Condition, and_, eq, ge, gt, or_

M = TypeVar("M", bound=BaseModel)
_DATETIME = TypeAdapter(SfDateTime)


@dataclass(frozen=True)
class ModstampCursor:
    """Where an incremental read stopped: the last record's SystemModstamp and Id."""

    modstamp: datetime
    last_id: str | None = None

    def condition(self) -> Condition:
        """Records strictly after this position in ``ORDER BY SystemModstamp, Id`` order."""
        if self.modstamp.microsecond:  # SOQL literals have whole seconds: re-read that second
            return ge("SystemModstamp", self.modstamp)
        if self.last_id is None:
            return gt("SystemModstamp", self.modstamp)
        return or_(gt("SystemModstamp", self.modstamp),
                   and_(eq("SystemModstamp", self.modstamp), gt("Id", self.last_id)))


@dataclass(frozen=True)
class RecordFailure:
    """A record Salesforce returned that did not fit the model; ``raw`` is JSON-safe."""

    id: str | None
    raw: dict[str, Any]
    error: str


@dataclass(frozen=True)
class RawPage:
    records: list[dict[str, Any]]
    total_size: int
    done: bool


@dataclass(frozen=True)
class QueryPage(Generic[M]):
    """One batch of a query: ``records`` parsed, ``failures`` not; ``cursor`` is after both."""

    records: list[M]
    failures: list[RecordFailure]
    total_size: int
    done: bool
    cursor: ModstampCursor | None

    def __len__(self) -> int:
        return len(self.records) + len(self.failures)


def parse_page(page: RawPage, model: type[M], org_currency: Callable[[], str],
               custom_fields: Sequence[str] = ()) -> QueryPage[M]:
    records: list[M] = []
    failures: list[RecordFailure] = []
    for raw in page.records:
        try:
            data = _with_currency(raw, model, org_currency)
            if custom_fields:
                data = {**data, "custom_fields": {name: _lookup(raw, name) for name in custom_fields}}
            records.append(model.model_validate(data))
        except ValidationError as exc:
            failures.append(RecordFailure(_str_or_none(raw.get("Id")), _json_safe(raw), _describe(exc)))
    return QueryPage(records, failures, page.total_size, page.done, _cursor_after(page.records))


@functools.cache
def _currency_plan(model: type[BaseModel]) -> tuple[bool, tuple[tuple[str, type[BaseModel]], ...]]:
    """(whether the model wants CurrencyIsoCode, its child lists as (alias, model)): computed once per model."""
    wants = any(info.alias == CURRENCY_FIELD for info in model.model_fields.values())
    children = []
    for info in model.model_fields.values():
        related = related_model(info.annotation)
        if related is not None and info.alias and get_origin(info.annotation) is list:
            children.append((info.alias, related))
    return wants, tuple(children)


def _with_currency(raw: dict[str, Any], model: type[BaseModel], org_currency: Callable[[], str]) -> dict[str, Any]:
    """``raw``, or a copy with the org currency wherever the model wants CurrencyIsoCode and the org has none."""
    wants, children = _currency_plan(model)
    data = raw
    if wants and raw.get(CURRENCY_FIELD) is None:
        data = {**raw, CURRENCY_FIELD: org_currency()}
    for alias, child_model in children:
        child = data.get(alias)
        if isinstance(child, dict) and isinstance(child.get("records"), list):
            records = [_with_currency(r, child_model, org_currency) for r in child["records"] if isinstance(r, dict)]
            data = {**data, alias: {**child, "records": records}}
    return data


def _lookup(raw: dict[str, Any], name: str) -> Any:
    """A field by API name, matching case-insensitively as Salesforce does."""
    if name in raw:
        return raw[name]
    folded = name.lower()
    return next((value for key, value in raw.items() if key.lower() == folded), None)


def _cursor_after(records: list[dict[str, Any]]) -> ModstampCursor | None:
    for raw in reversed(records):
        stamp, record_id = raw.get("SystemModstamp"), raw.get("Id")
        if isinstance(stamp, str) and isinstance(record_id, str):
            try:
                return ModstampCursor(_DATETIME.validate_python(stamp), record_id)
            except ValidationError:
                continue
    return None


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{location}: {error['msg']}")
    return "; ".join(parts)


def _json_safe(raw: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(raw, default=str))


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None
