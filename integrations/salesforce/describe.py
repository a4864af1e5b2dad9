"""What an sObject's describe tells us: which fields exist (CurrencyIsoCode, custom fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SObjectDescribe:
    name: str
    fields: frozenset[str]  # API names as Salesforce spells them
    child_relationships: frozenset[str]

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> SObjectDescribe:
        fields = frozenset(str(f["name"]) for f in body.get("fields", []) if isinstance(f, dict) and "name" in f)
        children = frozenset(str(c["relationshipName"]) for c in body.get("childRelationships", [])
                             if isinstance(c, dict) and c.get("relationshipName"))
        return cls(str(body.get("name", "")), fields, children)

    def has_field(self, name: str) -> bool:
        """Field API names are case-insensitive in Salesforce."""
        folded = name.lower()
        return any(f.lower() == folded for f in self.fields)

    def missing(self, names: list[str] | tuple[str, ...]) -> list[str]:
        return [n for n in names if not self.has_field(n)]
