"""What a sandbox handler receives (``Call``) and returns (``Reply``), and Xero's error bodies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from integrations.xero import json_codec
from integrations.xero.sandbox.render import envelope

if TYPE_CHECKING:
    from integrations.xero.sandbox.state import XeroSandboxState

NOT_FOUND_TEXT = "The resource you're looking for cannot be found"


@dataclass
class Call:
    state: XeroSandboxState
    method: str
    path: str
    query: dict[str, str]  # keys lower-cased: Xero's query parameter names are case-insensitive
    headers: dict[str, str]  # keys lower-cased
    body: Any
    args: dict[str, str]
    tenant_id: str

    def param(self, name: str) -> str | None:
        return self.query.get(name.lower())

    def flag(self, name: str) -> bool:
        return (self.param(name) or "").lower() == "true"

    def list_param(self, name: str) -> tuple[str, ...]:
        value = self.param(name)
        return tuple(v.strip().strip('"') for v in value.split(",") if v.strip()) if value else ()

    def now(self) -> datetime:
        return self.state.clock.now()


@dataclass
class Reply:
    status: int
    body: Any = None  # dict → JSON, str → text/plain, None → empty
    headers: dict[str, str] = field(default_factory=dict)
    raw: tuple[bytes, str] | None = None  # an already-encoded body and its media type (idempotent replays)

    def encode(self) -> tuple[bytes, str]:
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b"", "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        # Xero's .NET serialiser escapes "/" ("\/Date(...)\/"); valid JSON either way.
        return json_codec.dumps(self.body).replace(b"/", b"\\/"), "application/json; charset=utf-8"


def ok(call: Call, key: str | None = None, records: list[Any] | None = None,
       pagination: dict[str, int] | None = None) -> Reply:
    return Reply(200, envelope(call.state.provider_name, call.now(), key, records, pagination))


def not_found() -> Reply:
    return Reply(404, NOT_FOUND_TEXT)


def validation_failed(elements: list[dict[str, Any]]) -> Reply:
    return Reply(400, {"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
                       "Elements": elements})


def element_with_errors(element: Any, messages: list[str]) -> dict[str, Any]:
    echoed = dict(element) if isinstance(element, dict) else {}
    echoed["ValidationErrors"] = [{"Message": m} for m in messages]
    return echoed


def query_parse_failed(message: str) -> Reply:
    return Reply(400, {"ErrorNumber": 16, "Type": "QueryParseException", "Message": message})


def post_data_invalid(detail: str) -> Reply:
    return Reply(400, {"ErrorNumber": 14, "Type": "PostDataInvalidException",
                       "Message": f"JSON for post data was invalid,{detail}"})
