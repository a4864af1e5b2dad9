"""The SOQL builder: rendering, composition, and property tests that no text escapes its literal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.salesforce.sandbox.soql_parser import Comparison, LikeMatch, decode_string, like_regex, parse
from integrations.salesforce.soql import (
    Like,
    Order,
    Select,
    SoqlError,
    and_,
    eq,
    field_name,
    gt,
    in_,
    like,
    literal,
    not_,
    not_in,
    or_,
    quote,
)

_REFERENCE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def reference_tokens(text: str, in_like: bool = False) -> list[tuple[str, str]]:
    """A deliberately tiny SOQL lexer written from Salesforce's escape table: string literals
    (decoded; in LIKE, ``\\%`` and ``\\_`` are kept as written) and runs of anything else.
    Independent of both the builder and the sandbox."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] == "'":
            value, i = [], i + 1
            while text[i] != "'":  # IndexError: unterminated literal
                if text[i] == "\\":
                    nxt = text[i + 1]
                    if in_like and nxt in "%_":
                        value.append("\\" + nxt)
                        i += 2
                        continue
                    if nxt == "u":
                        value.append(chr(int(text[i + 2:i + 6], 16)))
                        i += 6
                        continue
                    value.append(_REFERENCE_ESCAPES[nxt])  # KeyError: an escape Salesforce rejects
                    i += 2
                else:
                    value.append(text[i])
                    i += 1
            tokens.append(("string", "".join(value)))
            i += 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] != "'":
                j += 1
            tokens.append(("word", text[i:j]))
            i = j
    return tokens


# --- rendering ------------------------------------------------------------------------------------


def test_values_render_as_salesforce_expects() -> None:
    assert literal("O'Brien & Sons") == r"'O\'Brien & Sons'"
    assert literal("100% Pure\\Co") == r"'100% Pure\\Co'"
    assert literal('say "hi"\n\t') == r"'say \"hi\"\n\t'"
    assert literal("\b\f\r") == r"'\b\f\r'"
    assert literal("\x00") == r"'\u0000'"
    assert literal("Müller GmbH") == "'Müller GmbH'"
    assert literal(None) == "null"
    assert literal(True) == "true"
    assert literal(42) == "42"
    assert literal(Decimal("1234.50")) == "1234.50"
    assert literal(date(2026, 1, 2)) == "2026-01-02"


def test_datetimes_are_unquoted_utc_and_floored_to_the_second() -> None:
    local = datetime(2026, 1, 1, 10, 30, 15, 999_000, tzinfo=timezone(timedelta(hours=2)))
    assert literal(local) == "2026-01-01T08:30:15Z"
    with pytest.raises(SoqlError):
        literal(datetime(2026, 1, 1))  # naive: ambiguous


@pytest.mark.parametrize("bad", [1.5, Decimal("NaN"), object()])
def test_unsupported_values_are_refused(bad: object) -> None:
    with pytest.raises(SoqlError):
        literal(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Name; DELETE", "Name'", "Owner..Email", "1Name", "", "Name OR Id", "a.b c"])
def test_field_names_must_be_api_names(name: str) -> None:
    with pytest.raises(SoqlError):
        field_name(name)
    with pytest.raises(SoqlError):
        eq(name, "x").render()


def test_conditions_compose_with_parentheses() -> None:
    condition = and_(eq("IsActive", True), or_(eq("Email", "a@x.example"), like("Name", Like.starts_with("Ri"))),
                     not_(in_("Id", ["005000000000001AAA"])), None)
    assert condition.render() == ("IsActive = true AND (Email = 'a@x.example' OR Name LIKE 'Ri%') AND "
                                  "(NOT (Id IN ('005000000000001AAA')))")
    assert not_in("StageName", ["Closed Lost"]).render() == "StageName NOT IN ('Closed Lost')"
    assert and_(eq("Name", "x")).render() == "Name = 'x'"
    with pytest.raises(SoqlError):
        in_("Id", []).render()
    with pytest.raises(SoqlError):
        and_(None)


def test_select_renders_subqueries_order_and_limit() -> None:
    lines = Select("OpportunityLineItems", ["Id", "Product2.ProductCode"], order_by=[Order("SortOrder")])
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    select = Select("Opportunity", ["Id", "Account.Name", lines], where=gt("SystemModstamp", stamp),
                    order_by=[Order("SystemModstamp"), Order("Id", descending=True, nulls="last")], limit=10)
    assert select.render() == (
        "SELECT Id, Account.Name, (SELECT Id, Product2.ProductCode FROM OpportunityLineItems ORDER BY SortOrder ASC) "
        "FROM Opportunity WHERE SystemModstamp > 2026-01-01T00:00:00Z "
        "ORDER BY SystemModstamp ASC, Id DESC NULLS LAST LIMIT 10")
    with pytest.raises(SoqlError):
        Select("Account; x", ["Id"]).render()


def test_like_escapes_wildcards_only_in_the_user_text() -> None:
    assert Like.contains("100% Pure\\Co_1").render() == r"'%100\% Pure\\Co\_1%'"
    assert Like.starts_with("a_b").render() == r"'a\_b%'"
    assert Like.ends_with("x'").render() == r"'%x\''"
    assert Like.exactly("%").render() == r"'\%'"


def test_the_sandbox_parses_what_the_builder_renders() -> None:
    select = Select("Account", ["Id"], where=and_(eq("Name", "x' OR Name != '"), like("Name", Like.contains("%"))))
    query = parse(select.render())
    first, second = query.where.operands  # type: ignore[union-attr]
    assert isinstance(first, Comparison) and decode_string(first.value.text) == "x' OR Name != '"
    assert isinstance(second, LikeMatch)


# --- properties -----------------------------------------------------------------------------------


@given(st.text())
def test_any_text_is_exactly_one_string_literal(text: str) -> None:
    assert reference_tokens(quote(text)) == [("string", text)]


@given(st.text(), st.text())
def test_text_cannot_break_out_of_a_condition(name: str, email: str) -> None:
    rendered = and_(eq("Name", name), eq("Email", email)).render()
    assert reference_tokens(rendered) == [("word", "Name"), ("word", "="), ("string", name), ("word", "AND"),
                                          ("word", "Email"), ("word", "="), ("string", email)]


@given(st.text())
def test_the_sandbox_reads_back_the_same_value(text: str) -> None:
    query = parse(Select("Account", ["Id"], where=eq("Name", text)).render())
    assert isinstance(query.where, Comparison)
    assert decode_string(query.where.value.text) == text


def _like_body(pattern: Like) -> str:
    return pattern.render()[1:-1]


@given(st.text())
def test_like_patterns_from_any_text_match_that_text(text: str) -> None:
    assert like_regex(_like_body(Like.exactly(text))).fullmatch(text)
    assert like_regex(_like_body(Like.contains(text))).fullmatch("before " + text + " after")
    assert [kind for kind, _ in reference_tokens(Like.contains(text).render(), in_like=True)] == ["string"]


_SMALL = st.text(alphabet=st.sampled_from(list("aB%_\\' x\n")), max_size=6)


@settings(max_examples=300)
@given(_SMALL, _SMALL, _SMALL, _SMALL)
def test_like_patterns_match_only_literally(text: str, before: str, middle: str, after: str) -> None:
    candidates = [before + text + after, before + middle + after, text, middle, text.swapcase() + after]
    for candidate in candidates:
        folded, wanted = candidate.lower(), text.lower()
        assert bool(like_regex(_like_body(Like.contains(text))).fullmatch(candidate)) == (wanted in folded)
        assert bool(like_regex(_like_body(Like.starts_with(text))).fullmatch(candidate)) == folded.startswith(wanted)
        assert bool(like_regex(_like_body(Like.ends_with(text))).fullmatch(candidate)) == folded.endswith(wanted)
        assert bool(like_regex(_like_body(Like.exactly(text))).fullmatch(candidate)) == (folded == wanted)
