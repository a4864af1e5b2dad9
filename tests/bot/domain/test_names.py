from __future__ import annotations

import pytest

from bot.domain.names import email_domain, name_key, website_domain


@pytest.mark.parametrize(("a", "b"), [
    ("Globex, Inc.", "Globex Inc"),
    ("O'Brien & Sons", "O'Brien & Sons Ltd"),
    ("Müller GmbH", "MULLER gmbh"),
    ("The Hooli Company", "Hooli"),
    ("Smith and Jones LLP", "Smith & Jones"),
])
def test_same_company_same_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Umbrella Corp", "Umbrela Corporation"),
    ("Acme Corporation", "Acme Logistics GmbH"),
    ("Initech LLC", "Initech Software"),
])
def test_different_names_stay_different(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_a_name_that_is_only_a_suffix_is_kept() -> None:
    assert name_key("Co") == "co"
    assert name_key("!!!") == ""


def test_domains() -> None:
    assert website_domain("https://www.Acme.example/about") == "acme.example"
    assert website_domain("acme.example") == "acme.example"
    assert website_domain("  ") is None
    assert email_domain("AP@Initech.Example") == "initech.example"
    assert email_domain("someone@gmail.com") is None
    assert email_domain("not-an-email") is None
