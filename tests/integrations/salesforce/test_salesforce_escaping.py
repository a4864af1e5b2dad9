"""SOQL escaping end to end: awkward and hostile names return exactly the right rows."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations import demo_data as demo
from integrations.salesforce import SalesforceClient

from .conftest import Org

AWKWARD = ["O'Brien & Sons", "Müller GmbH", "100% Pure\\Co", "1000 Pure Co", "Under_score Ltd", "Under score Ltd",
           'Quote "Co"', "Tab\tand\nnewline", "x' OR Name != '", "\\'; DROP", "%", "_"]


@pytest.fixture
def named(org: Org) -> dict[str, str]:
    extra = [n for n in AWKWARD if n not in {a.name for a in demo.ACCOUNTS_SF}]
    ids = {name: org.state.create("Account", {"Name": name, "OwnerId": demo.REP.id}) for name in extra}
    return {**{a.name: a.id for a in demo.ACCOUNTS_SF}, **ids}


@pytest.mark.parametrize("name", AWKWARD)
def test_exact_name_returns_exactly_that_account(client: SalesforceClient, named: dict[str, str], name: str) -> None:
    assert [a.id for a in client.accounts_named(name)] == [named[name]]
    assert [a.id for a in client.accounts_named(name.upper())] == [named[name]]  # SOQL = ignores case


def test_hostile_text_matches_nothing_else(client: SalesforceClient, named: dict[str, str]) -> None:
    for hostile in ["x' OR Name != 'y", "' OR Id != null OR Name = '", "\\' OR Name LIKE '%"]:
        assert client.accounts_named(hostile) == []
        assert client.accounts_named(hostile, match="contains") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("100%", ["100% Pure\\Co"]),
    ("%", ["%", "100% Pure\\Co"]),
    ("_", ["_", "Under_score Ltd"]),
    ("r_s", ["Under_score Ltd"]),
    ("Pure\\", ["100% Pure\\Co"]),
    ("o'brien", ["O'Brien & Sons"]),
    ("müller", ["Müller GmbH"]),
])
def test_contains_matches_literally(client: SalesforceClient, named: dict[str, str], text: str,
                                    expected: list[str]) -> None:
    assert sorted(a.name for a in client.accounts_named(text, match="contains")) == sorted(expected)


def test_starts_with(client: SalesforceClient, named: dict[str, str]) -> None:
    assert sorted(a.name for a in client.accounts_named("acme", match="starts_with")) == [
        "Acme Corporation", "Acme Logistics GmbH"]
    assert client.accounts_named("_", match="starts_with")[0].name == "_"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s.strip()))
def test_any_name_round_trips(org: Org, http: httpx.Client, name: str) -> None:
    record_id = org.state.create("Account", {"Name": name})
    try:
        found = org.client(http, org_currency="USD").accounts_named(name)
        assert record_id in [a.id for a in found]
        assert all(a.name.lower() == name.lower() for a in found)
    finally:
        org.state.delete("Account", record_id)
