"""The REST data API resources the sandbox serves (called by ``server.py`` under the state lock).

query / queryAll (batched, ``nextRecordsUrl`` under ``/query/``), describe, sObject GET/PATCH,
``updated``/``deleted`` replication and ``limits``. Errors raise ``ApiError`` and go out in
Salesforce's array shape.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from integrations.salesforce.sandbox.schema import ObjectDef
from integrations.salesforce.sandbox.soql_eval import QueryError, plan_query, resolve, run_plan
from integrations.salesforce.sandbox.soql_render import RenderContext, render_record, render_row
from integrations.salesforce.sandbox.state import Locator, SalesforceState
from integrations.salesforce.sandbox.values import FieldValueError, coerce, format_datetime, parse_datetime

_LOCATOR = re.compile(r"(01g[A-Za-z0-9]+)-(\d+)")
_BATCH = re.compile(r"batchSize\s*=\s*(\d+)")
NOT_FOUND = "The requested resource does not exist"


class ApiError(Exception):
    def __init__(self, status: int, error_code: str, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.error_code, self.message, self.fields = status, error_code, message, fields

    def body(self) -> list[dict[str, Any]]:
        item: dict[str, Any] = {"message": self.message, "errorCode": self.error_code}
        if self.fields is not None:
            item["fields"] = self.fields
        return [item]


def query(request: Request, state: SalesforceState, version: str, include_deleted: bool) -> dict[str, Any]:
    text = request.query_params.get("q", "")
    if not text.strip():
        raise ApiError(400, "MALFORMED_QUERY", "A query string has to be specified")
    try:
        plan = plan_query(text, state)
        rows = run_plan(plan, state.rows(plan.obj.name, include_deleted))
    except QueryError as exc:
        raise ApiError(400, exc.error_code, exc.message) from None
    if plan.count_only:
        return {"totalSize": len(rows), "done": True, "records": []}
    batch = state.batch_size
    requested = _BATCH.search(request.headers.get("Sforce-Query-Options", ""))
    if requested:
        batch = min(batch, max(200, min(2000, int(requested.group(1)))))
    return _page(state, Locator(rows, plan, include_deleted, batch), None, 0, version)


def query_more(state: SalesforceState, version: str, locator_path: str) -> dict[str, Any]:
    match = _LOCATOR.fullmatch(locator_path)
    locator = state.locator(match.group(1)) if match else None
    if match is None or locator is None:
        raise ApiError(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
    return _page(state, locator, match.group(1), int(match.group(2)), version)


def _page(state: SalesforceState, locator: Locator, locator_id: str | None, offset: int,
          version: str) -> dict[str, Any]:
    def park_rest(rows: list[dict[str, Any]], plan: Any, start: int) -> str:
        child_id = state.park(Locator(rows, plan, locator.include_deleted, state.child_batch_size))
        return f"/services/data/v{version}/query/{child_id}-{start}"

    ctx = RenderContext(state, version, locator.include_deleted, state.child_batch_size, park_rest)
    end = offset + locator.batch_size
    body: dict[str, Any] = {"totalSize": len(locator.rows), "done": end >= len(locator.rows)}
    if not body["done"]:
        locator_id = locator_id or state.park(locator)
        body["nextRecordsUrl"] = f"/services/data/v{version}/query/{locator_id}-{end}"
    body["records"] = [render_row(row, locator.plan, ctx) for row in locator.rows[offset:end]]
    return body


def _object(state: SalesforceState, sobject: str) -> ObjectDef:
    obj = state.schema.get(sobject.lower())
    if obj is None:
        raise ApiError(404, "NOT_FOUND", NOT_FOUND)
    return obj


def describe(state: SalesforceState, sobject: str) -> dict[str, Any]:
    obj = _object(state, sobject)
    fields = [{"name": f.name, "label": f.name, "type": f.type, "length": f.length, "custom": f.custom,
               "updateable": f.updateable, "createable": f.updateable, "nillable": f.name != "Id",
               "referenceTo": [f.reference_to] if f.reference_to else [], "relationshipName": f.relationship_name}
              for f in obj.fields.values()]
    children = [{"childSObject": c.child_object, "field": c.field, "relationshipName": c.name}
                for c in obj.children.values()]
    return {"name": obj.name, "label": obj.name, "keyPrefix": obj.key_prefix, "custom": False, "queryable": True,
            "updateable": obj.name != "Organization", "fields": fields, "childRelationships": children}


def get_record(request: Request, state: SalesforceState, version: str, sobject: str, record_id: str) -> dict[str, Any]:
    obj = _object(state, sobject)
    row = state.lookup(obj.name, record_id)
    if row is None:
        raise ApiError(404, "NOT_FOUND", NOT_FOUND)
    if row.get("IsDeleted"):
        raise ApiError(404, "ENTITY_IS_DELETED", "entity is deleted")
    names = [n.strip() for n in request.query_params.get("fields", "").split(",") if n.strip()]
    try:
        columns = [resolve(obj, n, state.schema) for n in names or [f.name for f in obj.fields.values()]]
    except QueryError as exc:
        raise ApiError(400, exc.error_code, exc.message) from None
    ctx = RenderContext(state, version, False, state.child_batch_size, lambda *_: "")
    return render_record(row, obj.name, columns, ctx)


def patch_record(state: SalesforceState, sobject: str, record_id: str, raw: bytes) -> None:
    obj = _object(state, sobject)
    row = state.lookup(obj.name, record_id)
    if row is None or row.get("IsDeleted"):
        raise ApiError(404, "ENTITY_IS_DELETED" if row else "NOT_FOUND", "entity is deleted" if row else NOT_FOUND)
    try:
        body = json.loads(raw or b"null", parse_float=Decimal)
    except ValueError:
        raise ApiError(400, "JSON_PARSER_ERROR", "Unexpected character in the request body") from None
    if not isinstance(body, dict):
        raise ApiError(400, "JSON_PARSER_ERROR", "The request body must be a JSON object")
    changes: dict[str, Any] = {}
    for name, value in body.items():
        definition = obj.field(name)
        if definition is None:
            raise ApiError(400, "INVALID_FIELD", f"No such column '{name}' on sobject of type {obj.name}")
        if not definition.updateable:
            raise ApiError(400, "INVALID_FIELD_FOR_INSERT_UPDATE", f"Unable to create/update fields: {name}. Please "
                           "check the security settings of this field and verify that it is read/write for your "
                           "profile or permission set.", [definition.name])
        try:
            changes[definition.name] = coerce(definition, value)
        except FieldValueError as exc:
            raise ApiError(400, exc.error_code, exc.message, [exc.field]) from None
    state.update(obj.name, record_id, changes)


def _window(request: Request, state: SalesforceState, max_days: int) -> tuple[datetime, datetime, datetime]:
    try:
        start = parse_datetime(request.query_params["start"]).replace(second=0)
        end = parse_datetime(request.query_params["end"]).replace(second=0)
    except KeyError:
        raise ApiError(400, "MISSING_ARGUMENT", "start and end are required") from None
    except ValueError:
        raise ApiError(400, "INVALID_REPLICATION_DATE", "start and end must be ISO-8601 dateTimes") from None
    now = state.now().replace(second=0)
    if end < start:
        raise ApiError(400, "INVALID_REPLICATION_DATE", "EndDate before StartDate")
    if start < now - timedelta(days=max_days):
        raise ApiError(400, "INVALID_REPLICATION_DATE", f"startDate cannot be more than {max_days} days ago")
    return start, end, min(end, now)


def updated(request: Request, state: SalesforceState, sobject: str) -> dict[str, Any]:
    obj = _object(state, sobject)
    start, _, latest = _window(request, state, 30)
    return {"ids": state.updated_ids(obj.name, start, latest), "latestDateCovered": format_datetime(latest)}


def deleted(request: Request, state: SalesforceState, sobject: str) -> dict[str, Any]:
    obj = _object(state, sobject)
    start, _, latest = _window(request, state, 15)
    records = [{"id": i, "deletedDate": format_datetime(when)} for i, when in state.deleted_between(obj.name, start,
                                                                                                     latest)]
    earliest = state.earliest_deletion(obj.name) or state.now().replace(second=0) - timedelta(days=15)
    return {"deletedRecords": records, "earliestDateAvailable": format_datetime(earliest),
            "latestDateCovered": format_datetime(latest)}


def limits(state: SalesforceState) -> dict[str, Any]:
    return {"DailyApiRequests": {"Max": state.api_limit, "Remaining": max(state.api_limit - state.api_used, 0)}}
