"""The sandbox org's data: records per object, the delete log, query locators, usage and faults.

Every change stamps ``SystemModstamp`` (and ``LastModifiedDate``) with the clock, truncated to
whole seconds as Salesforce's are. Deleting sets ``IsDeleted`` (the record stays visible to
``queryAll`` and in the delete log, and disappears from ``query``) and cascades to child records,
as deleting an Opportunity deletes its line items. Derived fields are kept right: IsClosed/IsWon
from the stage, line item Subtotal/TotalPrice, and an Opportunity's Amount as the sum of its lines.

All public methods take ``lock``; tests call them from their own thread while the server runs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from integrations.salesforce.sandbox.derived import derive_line_item, derive_stage
from integrations.salesforce.sandbox.oauth import OAuthConfig, OAuthServer
from integrations.salesforce.sandbox.schema import ObjectDef, build_schema
from integrations.salesforce.sandbox.soql_eval import Plan, Row
from integrations.salesforce.sandbox.values import coerce

_SYSTEM = ("Id", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted")
MAX_LOCATORS = 500


@dataclass
class Faults:
    limit_exceeded: bool = False
    fail_next: int = 0
    fail_status: int = 500
    latency: float = 0.0


@dataclass
class Locator:
    rows: list[Row]
    plan: Plan
    include_deleted: bool
    batch_size: int


class SalesforceState:
    def __init__(self, *, today: date, clock: Callable[[], datetime], oauth: OAuthConfig, multi_currency: bool = True,
                 batch_size: int = 2000, child_batch_size: int = 200, org_currency: str = "USD",
                 api_limit: int = 100_000) -> None:
        self.lock = threading.RLock()
        self.today = today
        self.clock = clock
        self.multi_currency = multi_currency
        self.batch_size = batch_size
        self.child_batch_size = child_batch_size
        self.org_currency = org_currency
        self.schema: dict[str, ObjectDef] = build_schema(multi_currency)
        self.faults = Faults()
        self.api_used = 0
        self.api_limit = api_limit
        self.requests: deque[str] = deque(maxlen=5000)
        self.oauth = OAuthServer(oauth, self.user_by_username, self.now)
        self._tables: dict[str, dict[str, Row]] = {name: {} for name in self.schema}
        self._deleted_log: list[tuple[str, str, datetime]] = []
        self._counters: dict[str, int] = defaultdict(int)
        self._version = 0
        self._child_index: dict[tuple[str, str], tuple[int, dict[str, list[Row]]]] = {}
        self._locators: OrderedDict[str, Locator] = OrderedDict()

    # --- clock and ids ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def new_id(self, sobject: str) -> str:
        obj = self.object(sobject)
        self._counters[obj.name] += 1
        return f"{obj.key_prefix}Sb{self._counters[obj.name]:010d}AAA"

    def object(self, sobject: str) -> ObjectDef:
        obj = self.schema.get(sobject.lower())
        if obj is None:
            raise KeyError(f"no sObject {sobject} in the sandbox")
        return obj

    # --- reads (the evaluator's Records protocol) -----------------------------------------------

    def rows(self, sobject: str, include_deleted: bool) -> Iterable[Row]:
        table = self._tables[self.object(sobject).name.lower()]
        return list(table.values()) if include_deleted else [r for r in table.values() if not r.get("IsDeleted")]

    def lookup(self, sobject: str, record_id: str) -> Row | None:
        return self._tables[sobject.lower()].get(record_id)

    def children(self, sobject: str, field: str, parent_id: str, include_deleted: bool) -> list[Row]:
        key = (sobject.lower(), field)
        cached = self._child_index.get(key)
        if cached is None or cached[0] != self._version:
            index: dict[str, list[Row]] = defaultdict(list)
            for row in self._tables[key[0]].values():
                if row.get(field):
                    index[row[field]].append(row)
            cached = (self._version, index)
            self._child_index[key] = cached
        found = cached[1].get(parent_id, [])
        return list(found) if include_deleted else [r for r in found if not r.get("IsDeleted")]

    def get(self, sobject: str, record_id: str, include_deleted: bool = False) -> Row | None:
        """A copy of one record (None when missing, or deleted unless ``include_deleted``)."""
        with self.lock:
            row = self._tables[self.object(sobject).name.lower()].get(record_id)
            if row is None or (row.get("IsDeleted") and not include_deleted):
                return None
            return dict(row)

    def user_by_username(self, username: str) -> Row | None:
        with self.lock:
            wanted = username.lower()
            users = self._tables["user"].values()
            return next((dict(u) for u in users if str(u.get("Username", "")).lower() == wanted), None)

    def count(self, sobject: str, include_deleted: bool = False) -> int:
        with self.lock:
            return len(list(self.rows(sobject, include_deleted)))

    # --- writes ---------------------------------------------------------------------------------

    def create(self, sobject: str, fields: Mapping[str, Any]) -> str:
        """Insert a record (field names any case, values Python or JSON); returns its Id."""
        with self.lock:
            obj = self.object(sobject)
            row = self._canonical(obj, fields)
            row.setdefault("Id", self.new_id(obj.name))
            self._stamp(obj, row, created=True)
            self._tables[obj.name.lower()][row["Id"]] = row
            self._derive(obj, row)
            self._version += 1
            return str(row["Id"])

    def update(self, sobject: str, record_id: str, fields: Mapping[str, Any]) -> None:
        with self.lock:
            obj, row = self.object(sobject), self._require(sobject, record_id)
            changes = self._canonical(obj, fields)
            if obj.name == "Opportunity" and self.children("OpportunityLineItem", "OpportunityId", record_id, False):
                changes.pop("Amount", None)  # Salesforce ignores Amount when the deal has products
            row.update(changes)
            self._stamp(obj, row)
            self._derive(obj, row)
            self._version += 1

    def delete(self, sobject: str, record_id: str) -> None:
        """Soft delete, with the child records (line items of an Opportunity, an Account's deals)."""
        with self.lock:
            obj, row = self.object(sobject), self._require(sobject, record_id)
            for relationship in obj.children.values():
                for child in self.children(relationship.child_object, relationship.field, record_id, False):
                    self.delete(relationship.child_object, child["Id"])
            row["IsDeleted"] = True
            self._stamp(obj, row)
            self._deleted_log.append((obj.name.lower(), record_id, row["SystemModstamp"]))
            self._version += 1
            if obj.name == "OpportunityLineItem":
                self._roll_up(row["OpportunityId"])

    def undelete(self, sobject: str, record_id: str) -> None:
        with self.lock:
            obj = self.object(sobject)
            row = self._tables[obj.name.lower()][record_id]
            row["IsDeleted"] = False
            self._stamp(obj, row)
            self._deleted_log = [e for e in self._deleted_log if e[1] != record_id]
            self._version += 1

    def bulk_load(self, sobject: str, rows: Iterable[Row]) -> None:
        """Trusted fast insert for seeds and generated data: canonical names, derived fields already set."""
        with self.lock:
            obj = self.object(sobject)
            table = self._tables[obj.name.lower()]
            for row in rows:
                row.setdefault("Id", self.new_id(obj.name))
                self._stamp(obj, row, created=True)
                table[row["Id"]] = row
            self._version += 1

    def drop_field(self, sobject: str, field: str) -> None:
        """Make the org lack a field (e.g. a write-back custom field nobody created)."""
        with self.lock:
            self.object(sobject).drop_field(field)
            for row in self._tables[sobject.lower()].values():
                row.pop(field, None)

    # --- replication ------------------------------------------------------------------------------

    def updated_ids(self, sobject: str, start: datetime, end: datetime) -> list[str]:
        with self.lock:
            return [r["Id"] for r in self.rows(sobject, False) if start <= r["SystemModstamp"] < end]

    def deleted_between(self, sobject: str, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
        with self.lock:
            return [(i, when) for obj, i, when in self._deleted_log if obj == sobject.lower() and start <= when < end]

    def earliest_deletion(self, sobject: str) -> datetime | None:
        with self.lock:
            return min((when for obj, _, when in self._deleted_log if obj == sobject.lower()), default=None)

    # --- query locators ---------------------------------------------------------------------------

    def park(self, locator: Locator) -> str:
        with self.lock:
            self._counters["locator"] += 1
            locator_id = f"01gSb{self._counters['locator']:013d}"
            self._locators[locator_id] = locator
            while len(self._locators) > MAX_LOCATORS:
                self._locators.popitem(last=False)
            return locator_id

    def expire_query_locators(self) -> None:
        """Forget every open cursor, as Salesforce does after 2 days (INVALID_QUERY_LOCATOR)."""
        with self.lock:
            self._locators.clear()

    def locator(self, locator_id: str) -> Locator | None:
        with self.lock:
            return self._locators.get(locator_id)

    # --- faults and usage -------------------------------------------------------------------------

    def expire_sessions(self) -> None:
        """Invalidate every access token (refresh tokens still work), as a session timeout does."""
        with self.lock:
            self.oauth.expire_sessions()

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self.oauth.revoke_refresh_tokens()

    def set_limit_exceeded(self, exceeded: bool = True) -> None:
        self.faults.limit_exceeded = exceeded

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        """The next ``count`` REST calls answer ``status`` (500 UNKNOWN_EXCEPTION, 503 SERVER_UNAVAILABLE)."""
        self.faults.fail_next, self.faults.fail_status = count, status

    def set_latency(self, seconds: float) -> None:
        self.faults.latency = seconds

    def set_api_usage(self, used: int, limit: int | None = None) -> None:
        self.api_used = used
        self.api_limit = limit if limit is not None else self.api_limit

    # --- internals --------------------------------------------------------------------------------

    def _require(self, sobject: str, record_id: str) -> Row:
        row = self._tables[self.object(sobject).name.lower()].get(record_id)
        if row is None or row.get("IsDeleted"):
            raise KeyError(f"no {sobject} {record_id}")
        return row

    def _canonical(self, obj: ObjectDef, fields: Mapping[str, Any]) -> Row:
        row: Row = {}
        for name, value in fields.items():
            definition = obj.field(name)
            if definition is None:
                raise KeyError(f"{obj.name} has no field {name}")
            row[definition.name] = coerce(definition, value)
        return row

    def _stamp(self, obj: ObjectDef, row: Row, created: bool = False) -> None:
        now = self.now()
        if created:
            row.setdefault("CreatedDate", now)
            if obj.field("IsDeleted"):
                row.setdefault("IsDeleted", False)
            if obj.field("CurrencyIsoCode"):
                row.setdefault("CurrencyIsoCode", self.org_currency)
        row["LastModifiedDate"] = row["SystemModstamp"] = now

    def _derive(self, obj: ObjectDef, row: Row) -> None:
        if obj.name == "Opportunity":
            derive_stage(row)
            row.setdefault("HasOpportunityLineItem", False)
        elif obj.name == "OpportunityLineItem":
            derive_line_item(row, self.lookup("Product2", row.get("Product2Id") or ""))
            self._roll_up(row["OpportunityId"])
        elif obj.name in ("Contact", "User"):
            row["Name"] = " ".join(p for p in (row.get("FirstName"), row.get("LastName")) if p)

    def _roll_up(self, opportunity_id: str) -> None:
        opportunity = self._tables["opportunity"].get(opportunity_id)
        if opportunity is None:
            return
        self._version += 1
        lines = self.children("OpportunityLineItem", "OpportunityId", opportunity_id, False)
        opportunity["HasOpportunityLineItem"] = bool(lines)
        if lines:
            opportunity["Amount"] = sum((line["TotalPrice"] for line in lines), Decimal("0"))
        self._stamp(self.object("Opportunity"), opportunity)

