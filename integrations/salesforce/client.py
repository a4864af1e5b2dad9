"""The Salesforce REST client Paidup uses: queries streamed page by page, incremental and deleted
reads, describe-aware field lists, and the write-back of invoice fields to the Opportunity.

    client = SalesforceClient(httpx.Client(timeout=30), ClientCredentialsAuth(...), api_version="64.0")
    for page in client.changed_pages(Opportunity, cursor, custom_fields=["Xero_Invoice_Number__c"]):
        store(page.records, page.failures, page.cursor)

Queries are generators: one page (≤ 2,000 records) is in memory at a time.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx

from integrations.salesforce.auth import SalesforceAuth
from integrations.salesforce.describe import SObjectDescribe
from integrations.salesforce.errors import (
    SalesforceError,
    SalesforceInvalidField,
    SalesforceNotFound,
    SalesforceWritebackFieldMissing,
)
from integrations.salesforce.limits import ApiUsage, RetryPolicy
from integrations.salesforce.models import (
    CURRENCY_FIELD,
    Account,
    DeletedRecord,
    Opportunity,
    SObject,
    User,
    soql_columns,
)
from integrations.salesforce.paging import ModstampCursor, QueryPage, RawPage, parse_page
from integrations.salesforce.replication import DeletedIds, UpdatedIds, replication_param
from integrations.salesforce.rest import SalesforceRest
from integrations.salesforce.soql import (
    Condition,
    Like,
    Order,
    Select,
    and_,
    eq,
    field_name,
    like,
    object_name,
)

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=SObject)
_RECORD_ID = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")
INCREMENTAL_ORDER = (Order("SystemModstamp"), Order("Id"))


def record_id(value: str) -> str:
    """``value`` if it is a 15- or 18-character Salesforce id (it goes into a URL path)."""
    if not isinstance(value, str) or not _RECORD_ID.fullmatch(value):
        raise ValueError(f"not a Salesforce record id: {value!r}")
    return value


class SalesforceClient:
    def __init__(self, http: httpx.Client, auth: SalesforceAuth, *, api_version: str = "64.0",
                 org_currency: str | None = None, batch_size: int | None = None,
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.rest = SalesforceRest(http, auth, api_version, retry=retry, sleep=sleep)
        self._org_currency = org_currency
        self._batch_size = batch_size
        self._describes: dict[str, SObjectDescribe] = {}

    # --- usage --------------------------------------------------------------------------------

    @property
    def usage(self) -> ApiUsage | None:
        """``api-usage`` from the latest Sforce-Limit-Info (calls used / allowed per 24 h)."""
        return self.rest.usage

    @property
    def limit_info(self) -> dict[str, ApiUsage]:
        return dict(self.rest.limit_info)

    @property
    def calls_made(self) -> int:
        return self.rest.calls_made

    # --- org facts ------------------------------------------------------------------------------

    def describe(self, sobject: str) -> SObjectDescribe:
        """The object's describe (cached for the life of the client)."""
        key = object_name(sobject).lower()
        if key not in self._describes:
            body = self.rest.get(self.rest.data_path(f"sobjects/{sobject}/describe"))
            self._describes[key] = SObjectDescribe.from_json(body)
        return self._describes[key]

    def has_currency_field(self, sobject: str) -> bool:
        """Whether the org is multi-currency for this object (CurrencyIsoCode exists)."""
        return self.describe(sobject).has_field(CURRENCY_FIELD)

    def org_currency(self) -> str:
        """The org's currency: configured, or ``Organization.DefaultCurrencyIsoCode`` (asked once)."""
        if self._org_currency is None:
            page = next(self.query_raw(Select("Organization", ["DefaultCurrencyIsoCode"], limit=1)))
            if not page.records or not page.records[0].get("DefaultCurrencyIsoCode"):
                raise SalesforceError("Salesforce did not say the org's default currency")
            self._org_currency = str(page.records[0]["DefaultCurrencyIsoCode"])
        return self._org_currency

    def require_fields(self, sobject: str, fields: Sequence[str]) -> None:
        """SalesforceInvalidField naming every field in ``fields`` that the object lacks."""
        missing = self.describe(sobject).missing(tuple(fields))
        if missing:
            raise SalesforceInvalidField(f"{sobject} has no field {', '.join(missing)}", error_code="INVALID_FIELD",
                                         fields=missing)

    # --- queries --------------------------------------------------------------------------------

    def query_raw(self, soql: str | Select, *, include_deleted: bool = False) -> Iterator[RawPage]:
        """Pages of raw records, following nextRecordsUrl; ``include_deleted`` uses queryAll."""
        text = soql.render() if isinstance(soql, Select) else soql
        headers = {"Sforce-Query-Options": f"batchSize={self._batch_size}"} if self._batch_size else None
        resource = "queryAll" if include_deleted else "query"
        body = self.rest.get(self.rest.data_path(resource), params={"q": text}, headers=headers)
        while True:
            records = [self._complete_children(r) for r in body.get("records", [])]
            done = bool(body.get("done", True)) or not body.get("nextRecordsUrl")
            yield RawPage(records, int(body.get("totalSize", len(records))), done)
            if done:
                return
            body = self.rest.get(str(body["nextRecordsUrl"]), headers=headers)

    def query_pages(self, soql: str | Select, model: type[M], *, include_deleted: bool = False,
                    custom_fields: Sequence[str] = ()) -> Iterator[QueryPage[M]]:
        """Pages of ``model`` records plus the records that failed validation."""
        for page in self.query_raw(soql, include_deleted=include_deleted):
            yield parse_page(page, model, self.org_currency, custom_fields)

    def select(self, model: type[SObject], *, where: Condition | None = None, order_by: Sequence[Order] = (),
               limit: int | None = None, custom_fields: Sequence[str] = ()) -> Select:
        """A SELECT of ``model``'s columns (CurrencyIsoCode only where it exists) plus ``custom_fields``."""
        if custom_fields:
            self.require_fields(model.sobject, custom_fields)
        columns = soql_columns(model, self.has_currency_field)
        columns += [field_name(f) for f in custom_fields if f not in columns]
        return Select(model.sobject, columns, where=where, order_by=order_by, limit=limit)

    def changed_pages(self, model: type[M], since: ModstampCursor | None, *, include_deleted: bool = False,
                      custom_fields: Sequence[str] = (), where: Condition | None = None) -> Iterator[QueryPage[M]]:
        """Records changed after ``since`` (all when None), oldest first: ``WHERE SystemModstamp > cursor
        ORDER BY SystemModstamp, Id``. ``include_deleted`` reads through queryAll (IsDeleted set)."""
        conditions = [c for c in (since.condition() if since else None, where) if c is not None]
        select = self.select(model, where=and_(*conditions) if conditions else None, order_by=INCREMENTAL_ORDER,
                             custom_fields=custom_fields)
        return self.query_pages(select, model, include_deleted=include_deleted, custom_fields=custom_fields)

    def deleted_pages(self, model: type[SObject], since: ModstampCursor | None) -> Iterator[QueryPage[DeletedRecord]]:
        """Records deleted after ``since`` (queryAll, ``IsDeleted = true``), oldest first."""
        where = and_(eq("IsDeleted", True), since.condition() if since else None)
        select = Select(model.sobject, ["Id", "SystemModstamp", "IsDeleted"], where=where,
                        order_by=INCREMENTAL_ORDER)
        return self.query_pages(select, DeletedRecord, include_deleted=True)  # type: ignore[type-var]

    def get_updated(self, sobject: str, start: datetime, end: datetime) -> UpdatedIds:
        """Ids created or updated in [start, end) (``sobjects/{Object}/updated``, 30 days back at most)."""
        params = {"start": replication_param(start), "end": replication_param(end)}
        return UpdatedIds.model_validate(
            self.rest.get(self.rest.data_path(f"sobjects/{object_name(sobject)}/updated/"), params=params))

    def get_deleted(self, sobject: str, start: datetime, end: datetime) -> DeletedIds:
        """Ids deleted in [start, end) (``sobjects/{Object}/deleted``, 15 days back at most)."""
        params = {"start": replication_param(start), "end": replication_param(end)}
        return DeletedIds.model_validate(
            self.rest.get(self.rest.data_path(f"sobjects/{object_name(sobject)}/deleted/"), params=params))

    # --- records --------------------------------------------------------------------------------

    def get_record(self, sobject: str, id: str, fields: Sequence[str] = ()) -> dict[str, Any]:
        params = {"fields": ",".join(field_name(f) for f in fields)} if fields else None
        path = self.rest.data_path(f"sobjects/{object_name(sobject)}/{record_id(id)}")
        return dict(self.rest.get(path, params=params))

    def update_record(self, sobject: str, id: str, fields: Mapping[str, Any]) -> None:
        """PATCH the fields (Salesforce answers 204)."""
        body = {field_name(name): value for name, value in fields.items()}
        self.rest.patch(self.rest.data_path(f"sobjects/{object_name(sobject)}/{record_id(id)}"), body)

    def write_back(self, opportunity_id: str, values: Mapping[str, str | None],
                   field_map: Mapping[str, str | None]) -> bool:
        """Write invoice facts to the Opportunity through the configured mapping, e.g. values
        ``{"invoice_number": "INV-0107"}`` with ``{"invoice_number": "Xero_Invoice_Number__c"}``.
        Keys mapped to None are skipped; returns False when nothing was mapped."""
        body: dict[str, str | None] = {}
        setting_of: dict[str, str] = {}
        for key, value in values.items():
            if key not in field_map:
                raise ValueError(f"no write-back mapping for {key!r}")
            target = field_map[key]
            if target:
                body[field_name(target)] = value
                setting_of[target.lower()] = key
        if not body:
            return False
        try:
            self.update_record("Opportunity", opportunity_id, body)
        except SalesforceInvalidField as exc:
            missing = next((f for f in exc.fields if f.lower() in setting_of), None)
            if missing is None:
                raise
            target = next(t for t in body if t.lower() == missing.lower())
            raise SalesforceWritebackFieldMissing(target, setting_of[missing.lower()], exc) from exc
        return True

    # --- lookups ---------------------------------------------------------------------------------

    def opportunity(self, id: str, custom_fields: Sequence[str] = ()) -> Opportunity:
        """One Opportunity with its account, owner and line items."""
        select = self.select(Opportunity, where=eq("Id", record_id(id)), custom_fields=custom_fields)
        found = self._collect(self.query_pages(select, Opportunity, custom_fields=custom_fields), strict=True)
        if not found:
            raise SalesforceNotFound(f"no Opportunity {id}", error_code="NOT_FOUND")
        return found[0]

    def users_by_email(self, email: str, *, active_only: bool = True) -> list[User]:
        """Users with this email (not unique in Salesforce: the caller handles 0 or several)."""
        where = and_(eq("IsActive", True) if active_only else None, eq("Email", email))
        return self._collect(self.query_pages(self.select(User, where=where, order_by=[Order("Id")]), User))

    def accounts_named(self, name: str, *, match: str = "exact", limit: int = 50) -> list[Account]:
        """Accounts whose name equals (case-insensitively), contains or starts with ``name``."""
        patterns = {"contains": Like.contains, "starts_with": Like.starts_with}
        if match != "exact" and match not in patterns:
            raise ValueError("match must be exact, contains or starts_with")
        where = eq("Name", name) if match == "exact" else like("Name", patterns[match](name))
        select = self.select(Account, where=where, order_by=[Order("Name"), Order("Id")], limit=limit)
        return self._collect(self.query_pages(select, Account))

    def _collect(self, pages: Iterator[QueryPage[M]], strict: bool = False) -> list[M]:
        found: list[M] = []
        for page in pages:
            for failure in page.failures:
                if strict:
                    raise SalesforceError(f"record {failure.id} could not be read: {failure.error}")
                logger.warning("salesforce record skipped", extra={"id": failure.id, "error": failure.error})
            found.extend(page.records)
        return found

    def _complete_children(self, record: dict[str, Any]) -> dict[str, Any]:
        """Follow a child subquery's own nextRecordsUrl when Salesforce cut it short."""
        for key, value in record.items():
            if isinstance(value, dict) and value.get("done") is False and value.get("nextRecordsUrl"):
                children, body = list(value.get("records", [])), value
                while not body.get("done", True) and body.get("nextRecordsUrl"):
                    body = self.rest.get(str(body["nextRecordsUrl"]))
                    children.extend(body.get("records", []))
                record[key] = {**value, "records": children, "done": True, "totalSize": len(children)}
        return record
