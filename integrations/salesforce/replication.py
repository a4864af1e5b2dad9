"""The replication resources: ``sobjects/{Object}/updated`` and ``sobjects/{Object}/deleted``.

Salesforce ignores the seconds of ``start``/``end``, keeps the updated log 30 days and the
deleted log 15 days, and answers ``latestDateCovered``: use it as the next ``start``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field

from integrations.salesforce.models import SalesforceModel, SfDateTime


def replication_param(value: datetime) -> str:
    """``start``/``end`` as Salesforce wants them: ISO-8601 UTC with an offset."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("start/end must be timezone-aware")
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


class UpdatedIds(SalesforceModel):
    ids: list[str] = Field(default_factory=list)
    latest_date_covered: SfDateTime = Field(alias="latestDateCovered")


class DeletedId(SalesforceModel):
    id: str
    deleted_date: SfDateTime = Field(alias="deletedDate")


class DeletedIds(SalesforceModel):
    deleted_records: list[DeletedId] = Field(default_factory=list, alias="deletedRecords")
    earliest_date_available: SfDateTime | None = Field(default=None, alias="earliestDateAvailable")
    latest_date_covered: SfDateTime = Field(alias="latestDateCovered")
