"""Pydantic models of the Salesforce records Paidup reads, and the SOQL columns that fill them.

Aliases are the Salesforce API names. Datetimes arrive as ``2013-05-20T20:49:32.000+0000`` and are
parsed aware; currency numbers are Decimal (the client parses JSON floats as Decimal).
``CurrencyIsoCode`` exists only in multi-currency orgs: the client selects it only when the
object's describe has it, and otherwise fills in the org's currency before validation, so every
amount here carries its currency.

Parent relationships (``Account.Name``, ``Owner.Email``) are nested ``Related`` models; a child
relationship (``OpportunityLineItems``) is a list of records, from the subquery's
``{totalSize, done, records}`` (or ``null`` when there are none).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from integrations.salesforce.soql import Order, Select

CURRENCY_FIELD = "CurrencyIsoCode"


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("datetime without a time zone")
    return value


def _child_records(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, dict):
        return value.get("records") or []
    return value


SfDateTime = Annotated[datetime, AfterValidator(_require_aware)]


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


class SalesforceModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class Related(SalesforceModel):
    """A parent record reached through a relationship field: only the columns we select."""


class UserRef(Related):
    name: str | None = Field(default=None, alias="Name")
    email: str | None = Field(default=None, alias="Email")


class AccountRef(Related):
    name: str | None = Field(default=None, alias="Name")


class ProductRef(Related):
    name: str | None = Field(default=None, alias="Name")
    product_code: str | None = Field(default=None, alias="ProductCode")


class SObject(SalesforceModel):
    """A record of one sObject type. ``custom_fields`` holds configured extra columns (write-back
    fields, the account link field) by API name."""

    sobject: ClassVar[str]
    child_order: ClassVar[tuple[str, ...]] = ("Id",)

    id: str = Field(alias="Id")
    system_modstamp: SfDateTime = Field(alias="SystemModstamp")
    custom_fields: dict[str, Any] = Field(default_factory=dict)


class User(SObject):
    sobject: ClassVar[str] = "User"

    username: str = Field(alias="Username")
    name: str = Field(alias="Name")
    first_name: str | None = Field(default=None, alias="FirstName")
    last_name: str | None = Field(default=None, alias="LastName")
    email: str | None = Field(default=None, alias="Email")
    is_active: bool = Field(alias="IsActive")


class Account(SObject):
    sobject: ClassVar[str] = "Account"

    name: str = Field(alias="Name")
    account_number: str | None = Field(default=None, alias="AccountNumber")
    website: str | None = Field(default=None, alias="Website")
    phone: str | None = Field(default=None, alias="Phone")
    owner_id: str | None = Field(default=None, alias="OwnerId")
    owner: UserRef | None = Field(default=None, alias="Owner")
    billing_street: str | None = Field(default=None, alias="BillingStreet")
    billing_city: str | None = Field(default=None, alias="BillingCity")
    billing_state: str | None = Field(default=None, alias="BillingState")
    billing_postal_code: str | None = Field(default=None, alias="BillingPostalCode")
    billing_country: str | None = Field(default=None, alias="BillingCountry")
    currency: str | None = Field(default=None, alias=CURRENCY_FIELD)
    is_deleted: bool = Field(default=False, alias="IsDeleted")


class Contact(SObject):
    sobject: ClassVar[str] = "Contact"

    account_id: str | None = Field(default=None, alias="AccountId")
    first_name: str | None = Field(default=None, alias="FirstName")
    last_name: str = Field(alias="LastName")
    name: str | None = Field(default=None, alias="Name")
    email: str | None = Field(default=None, alias="Email")
    phone: str | None = Field(default=None, alias="Phone")
    mailing_street: str | None = Field(default=None, alias="MailingStreet")
    mailing_city: str | None = Field(default=None, alias="MailingCity")
    mailing_state: str | None = Field(default=None, alias="MailingState")
    mailing_postal_code: str | None = Field(default=None, alias="MailingPostalCode")
    mailing_country: str | None = Field(default=None, alias="MailingCountry")
    currency: str | None = Field(default=None, alias=CURRENCY_FIELD)
    is_deleted: bool = Field(default=False, alias="IsDeleted")


class Product2(SObject):
    sobject: ClassVar[str] = "Product2"

    name: str = Field(alias="Name")
    product_code: str | None = Field(default=None, alias="ProductCode")
    description: str | None = Field(default=None, alias="Description")
    is_active: bool = Field(default=True, alias="IsActive")
    currency: str | None = Field(default=None, alias=CURRENCY_FIELD)
    is_deleted: bool = Field(default=False, alias="IsDeleted")


class OpportunityLineItem(SObject):
    sobject: ClassVar[str] = "OpportunityLineItem"
    child_order: ClassVar[tuple[str, ...]] = ("SortOrder", "Id")

    opportunity_id: str = Field(alias="OpportunityId")
    product2_id: str | None = Field(default=None, alias="Product2Id")
    product2: ProductRef | None = Field(default=None, alias="Product2")
    product_code: str | None = Field(default=None, alias="ProductCode")
    name: str | None = Field(default=None, alias="Name")
    description: str | None = Field(default=None, alias="Description")
    quantity: Decimal = Field(alias="Quantity")
    unit_price: Decimal = Field(alias="UnitPrice")
    list_price: Decimal | None = Field(default=None, alias="ListPrice")
    subtotal: Decimal | None = Field(default=None, alias="Subtotal")
    total_price: Decimal | None = Field(default=None, alias="TotalPrice")
    discount: Decimal | None = Field(default=None, alias="Discount")
    service_date: date | None = Field(default=None, alias="ServiceDate")
    sort_order: int | None = Field(default=None, alias="SortOrder")
    currency: str = Field(alias=CURRENCY_FIELD)
    is_deleted: bool = Field(default=False, alias="IsDeleted")

    @property
    def unit_price_money(self) -> Money:
        return Money(self.unit_price, self.currency)

    @property
    def total_price_money(self) -> Money | None:
        return None if self.total_price is None else Money(self.total_price, self.currency)


class Opportunity(SObject):
    sobject: ClassVar[str] = "Opportunity"

    name: str = Field(alias="Name")
    account_id: str | None = Field(default=None, alias="AccountId")
    account: AccountRef | None = Field(default=None, alias="Account")
    owner_id: str | None = Field(default=None, alias="OwnerId")
    owner: UserRef | None = Field(default=None, alias="Owner")
    stage_name: str = Field(alias="StageName")
    is_closed: bool = Field(alias="IsClosed")
    is_won: bool = Field(alias="IsWon")
    close_date: date | None = Field(default=None, alias="CloseDate")
    amount: Decimal | None = Field(default=None, alias="Amount")
    probability: Decimal | None = Field(default=None, alias="Probability")
    type: str | None = Field(default=None, alias="Type")
    pricebook2_id: str | None = Field(default=None, alias="Pricebook2Id")
    has_line_items: bool = Field(default=False, alias="HasOpportunityLineItem")
    currency: str = Field(alias=CURRENCY_FIELD)
    is_deleted: bool = Field(default=False, alias="IsDeleted")
    line_items: Annotated[list[OpportunityLineItem], BeforeValidator(_child_records)] = Field(
        default_factory=list, alias="OpportunityLineItems")

    @property
    def amount_money(self) -> Money | None:
        return None if self.amount is None else Money(self.amount, self.currency)


class DeletedRecord(SalesforceModel):
    """A record ``queryAll`` reports as deleted (``IsDeleted = true``)."""

    id: str = Field(alias="Id")
    system_modstamp: SfDateTime = Field(alias="SystemModstamp")
    is_deleted: bool = Field(default=True, alias="IsDeleted")


def related_model(annotation: Any) -> type[SalesforceModel] | None:
    """The model behind ``X | None`` or ``list[X]``, or None for a plain column."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        annotation = inner[0] if len(inner) == 1 else annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, SalesforceModel):
        return annotation
    return None


def soql_columns(model: type[SalesforceModel], has_currency: Callable[[str], bool],
                 sobject: str | None = None) -> list[str | Select]:
    """The SELECT list for ``model``: its columns, parent paths, and child subqueries.
    ``CurrencyIsoCode`` is included only where ``has_currency(sobject)`` says the org has it."""
    sobject = sobject or getattr(model, "sobject", "")
    columns: list[str | Select] = []
    for info in model.model_fields.values():
        alias = info.alias
        if alias is None:
            continue
        if alias == CURRENCY_FIELD and not has_currency(sobject):
            continue
        related = related_model(info.annotation)
        if related is None:
            columns.append(alias)
        elif issubclass(related, SObject):
            child_columns = soql_columns(related, has_currency)
            columns.append(Select(alias, child_columns, order_by=[Order(f) for f in related.child_order]))
        else:
            columns.extend(f"{alias}.{sub.alias}" for sub in related.model_fields.values() if sub.alias)
    return columns
