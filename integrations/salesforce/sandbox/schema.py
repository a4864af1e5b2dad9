"""The sandbox org's objects and fields, as a describe would list them.

Field names and types follow Salesforce's object reference for the objects Paidup uses.
``CurrencyIsoCode`` exists on every object only in a multi-currency org. Opportunity carries
the write-back custom fields ``Xero_Invoice_Number__c``, ``Xero_Invoice_URL__c`` and
``Xero_Invoice_Status__c`` (an org that lacks them is made with ``ObjectDef.drop_field``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT_TYPES = frozenset({"id", "reference", "string", "textarea", "picklist", "email", "url", "phone"})
NUMBER_TYPES = frozenset({"currency", "double", "percent", "int"})


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    updateable: bool = True
    length: int = 0
    reference_to: str | None = None
    relationship_name: str | None = None

    @property
    def custom(self) -> bool:
        return self.name.endswith("__c")


@dataclass(frozen=True)
class ChildRelationship:
    name: str
    child_object: str
    field: str


@dataclass
class ObjectDef:
    name: str
    key_prefix: str
    fields: dict[str, FieldDef] = field(default_factory=dict)  # by lower-case name
    children: dict[str, ChildRelationship] = field(default_factory=dict)  # by lower-case relationship name

    def add(self, *defs: FieldDef) -> ObjectDef:
        for d in defs:
            self.fields[d.name.lower()] = d
        return self

    def field(self, name: str) -> FieldDef | None:
        return self.fields.get(name.lower())

    def parent(self, relationship: str) -> FieldDef | None:
        """The reference field behind a parent relationship name such as ``Account`` or ``Owner``."""
        wanted = relationship.lower()
        return next((f for f in self.fields.values() if (f.relationship_name or "").lower() == wanted), None)

    def drop_field(self, name: str) -> None:
        self.fields.pop(name.lower(), None)


def _ro(name: str, type_: str, **kw: object) -> FieldDef:
    return FieldDef(name, type_, updateable=False, **kw)  # type: ignore[arg-type]


def _s(name: str, length: int = 255, type_: str = "string") -> FieldDef:
    return FieldDef(name, type_, length=length)


def _ref(name: str, target: str | None, relationship: str, updateable: bool = True) -> FieldDef:
    return FieldDef(name, "reference", updateable=updateable, length=18, reference_to=target,
                    relationship_name=relationship)


def _system(with_is_deleted: bool = True) -> list[FieldDef]:
    fields = [_ro("Id", "id", length=18), _ro("CreatedDate", "datetime"), _ro("LastModifiedDate", "datetime"),
              _ro("SystemModstamp", "datetime")]
    return fields + ([_ro("IsDeleted", "boolean")] if with_is_deleted else [])


def _address(prefix: str) -> list[FieldDef]:
    return [_s(f"{prefix}Street", 255, "textarea"), _s(f"{prefix}City", 40), _s(f"{prefix}State", 80),
            _s(f"{prefix}PostalCode", 20), _s(f"{prefix}Country", 80)]


def build_schema(multi_currency: bool) -> dict[str, ObjectDef]:
    """Every object the sandbox serves, by lower-case name."""
    objects = _objects()
    schema = {o.name.lower(): o for o in objects}
    if multi_currency:
        for obj in objects:
            if obj.name != "Organization":
                obj.add(FieldDef("CurrencyIsoCode", "picklist", length=3))
    _relate(schema, "Opportunity", "OpportunityLineItems", "OpportunityLineItem", "OpportunityId")
    _relate(schema, "Account", "Opportunities", "Opportunity", "AccountId")
    _relate(schema, "Account", "Contacts", "Contact", "AccountId")
    return schema


def _objects() -> list[ObjectDef]:
    return [
        ObjectDef("Organization", "00D").add(*_system(False), _ro("Name", "string", length=80),
                                             FieldDef("DefaultCurrencyIsoCode", "picklist", length=3)),
        ObjectDef("User", "005").add(*_system(False), _s("Username", 80), _ro("Name", "string", length=121),
                                     _s("FirstName", 40), _s("LastName", 80), _s("Email", 128, "email"),
                                     FieldDef("IsActive", "boolean")),
        ObjectDef("Account", "001").add(
            *_system(), _s("Name"), _s("AccountNumber", 40), _s("Website", 255, "url"), _s("Phone", 40, "phone"),
            FieldDef("Type", "picklist", length=255), _s("Description", 32000, "textarea"),
            _ref("OwnerId", "User", "Owner"), *_address("Billing")),
        ObjectDef("Contact", "003").add(
            *_system(), _ref("AccountId", "Account", "Account"), _s("FirstName", 40), _s("LastName", 80),
            _ro("Name", "string", length=121), _s("Email", 80, "email"), _s("Phone", 40, "phone"),
            _ref("OwnerId", "User", "Owner"), *_address("Mailing")),
        ObjectDef("Product2", "01t").add(*_system(), _s("Name"), _s("ProductCode"), _s("Description", 4000, "textarea"),
                                         FieldDef("IsActive", "boolean"), FieldDef("Family", "picklist", length=255)),
        ObjectDef("Opportunity", "006").add(
            *_system(), _s("Name", 120), _ref("AccountId", "Account", "Account"), _ref("OwnerId", "User", "Owner"),
            FieldDef("StageName", "picklist", length=255), _ro("IsClosed", "boolean"), _ro("IsWon", "boolean"),
            FieldDef("CloseDate", "date"), FieldDef("Amount", "currency"), FieldDef("Probability", "percent"),
            FieldDef("Type", "picklist", length=255), FieldDef("LeadSource", "picklist", length=255),
            _s("NextStep"), _s("Description", 32000, "textarea"), _ro("ForecastCategoryName", "picklist", length=255),
            _ref("Pricebook2Id", None, "Pricebook2"), _ro("HasOpportunityLineItem", "boolean"),
            _s("Xero_Invoice_Number__c", 255), _s("Xero_Invoice_URL__c", 255, "url"), _s("Xero_Invoice_Status__c", 40)),
        ObjectDef("OpportunityLineItem", "00k").add(
            *_system(), _ref("OpportunityId", "Opportunity", "Opportunity", updateable=False),
            _ref("PricebookEntryId", None, "PricebookEntry", updateable=False),
            _ref("Product2Id", "Product2", "Product2", updateable=False), _ro("ProductCode", "string", length=255),
            _ro("Name", "string", length=376), FieldDef("Quantity", "double"), FieldDef("UnitPrice", "currency"),
            _ro("ListPrice", "currency"), _ro("Subtotal", "currency"), FieldDef("TotalPrice", "currency"),
            FieldDef("Discount", "percent"), FieldDef("ServiceDate", "date"), _s("Description", 255),
            FieldDef("SortOrder", "int")),
    ]


def _relate(schema: dict[str, ObjectDef], parent: str, name: str, child: str, field_name: str) -> None:
    schema[parent.lower()].children[name.lower()] = ChildRelationship(name, child, field_name)


# Opportunity stages: (name, probability %, forecast category, closed, won); Salesforce's defaults.
STAGES = {s[0].lower(): s for s in [
    ("Prospecting", 10, "Pipeline", False, False), ("Qualification", 10, "Pipeline", False, False),
    ("Needs Analysis", 20, "Pipeline", False, False), ("Value Proposition", 50, "Pipeline", False, False),
    ("Id. Decision Makers", 60, "Pipeline", False, False), ("Perception Analysis", 70, "Pipeline", False, False),
    ("Proposal/Price Quote", 75, "Pipeline", False, False), ("Negotiation/Review", 90, "Pipeline", False, False),
    ("Closed Won", 100, "Closed", True, True), ("Closed Lost", 0, "Omitted", True, False),
]}
