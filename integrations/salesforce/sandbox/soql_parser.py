"""Parser for the SOQL subset the sandbox evaluates (written from Salesforce's SOQL
reference, independently of the client's builder).

Grammar::

    query      := SELECT item (, item)* FROM name [WHERE cond] [ORDER BY order (, order)*] [LIMIT n] [OFFSET n]
    item       := path | COUNT() | ( query )            -- a subquery is a child relationship
    cond       := unary ((AND unary)* | (OR unary)*)    -- mixing AND and OR needs parentheses
    unary      := NOT unary | ( cond ) | path op value | path [NOT] IN ( value, ... ) | path LIKE string
    value      := 'string' | number | true | false | null | YYYY-MM-DD | YYYY-MM-DDThh:mm:ss(.sss)?(Z|±hh:mm)

Keywords and names are case-insensitive; literals are lexed in ``soql_lexer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from integrations.salesforce.sandbox.soql_lexer import (
    SoqlSyntaxError,
    Token,
    decode_string,
    like_regex,
    tokenize,
)

__all__ = ["SoqlSyntaxError", "decode_string", "like_regex", "parse"]

KEYWORDS = frozenset({"select", "from", "where", "and", "or", "not", "in", "like", "order", "by", "asc", "desc",
                      "nulls", "first", "last", "limit", "offset", "true", "false", "null"})


@dataclass(frozen=True)
class Value:
    kind: str  # string, number, boolean, null, date, datetime
    text: str  # for strings: the raw body between the quotes, escapes not yet decoded


@dataclass(frozen=True)
class Comparison:
    path: str
    op: str
    value: Value


@dataclass(frozen=True)
class InList:
    path: str
    values: tuple[Value, ...]
    negated: bool


@dataclass(frozen=True)
class LikeMatch:
    path: str
    pattern: Value


@dataclass(frozen=True)
class BoolOp:
    op: str  # AND, OR
    operands: tuple[Cond, ...]


@dataclass(frozen=True)
class NotOp:
    operand: Cond


Cond = Union[Comparison, InList, LikeMatch, BoolOp, NotOp]  # noqa: UP007 (a forward-referencing alias)


@dataclass(frozen=True)
class OrderItem:
    path: str
    descending: bool
    nulls_last: bool


@dataclass
class Query:
    items: list[str | Query]
    sobject: str
    where: Cond | None = None
    order_by: list[OrderItem] = field(default_factory=list)
    limit: int | None = None
    offset: int = 0
    count_only: bool = False


def parse(text: str) -> Query:
    parser = _Parser(tokenize(text))
    query = parser.query()
    parser.expect_kind("eof")
    return query


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def is_kw(self, *words: str) -> bool:
        return self.tok.kind == "name" and self.tok.text.lower() in words

    def take(self) -> Token:
        token = self.tok
        self.i += 1
        return token

    def fail(self) -> SoqlSyntaxError:
        shown = self.tok.text or "<end of query>"
        return SoqlSyntaxError(f"unexpected token: '{shown}' at column {self.tok.pos + 1}")

    def expect_kw(self, word: str) -> None:
        if not self.is_kw(word):
            raise self.fail()
        self.i += 1

    def expect_kind(self, kind: str, text: str | None = None) -> Token:
        if self.tok.kind != kind or (text is not None and self.tok.text != text):
            raise self.fail()
        return self.take()

    def name(self) -> str:
        if self.tok.kind != "name" or self.tok.text.lower() in KEYWORDS:
            raise self.fail()
        return self.take().text

    def query(self) -> Query:
        self.expect_kw("select")
        items: list[str | Query] = []
        count_only = False
        while True:
            if self.tok.kind == "punct" and self.tok.text == "(":
                self.take()
                items.append(self.query())
                self.expect_kind("punct", ")")
            elif self.is_kw("count") and self.tokens[self.i + 1].text == "(":
                self.i += 2
                self.expect_kind("punct", ")")
                count_only = True
            else:
                items.append(self.name())
            if not (self.tok.kind == "punct" and self.tok.text == ","):
                break
            self.take()
        self.expect_kw("from")
        query = Query(items, self.name(), count_only=count_only)
        self.clauses(query)
        return query

    def clauses(self, query: Query) -> None:
        if self.is_kw("where"):
            self.take()
            query.where = self.condition()
        if self.is_kw("order"):
            self.take()
            self.expect_kw("by")
            query.order_by.append(self.order_item())
            while self.tok.kind == "punct" and self.tok.text == ",":
                self.take()
                query.order_by.append(self.order_item())
        if self.is_kw("limit"):
            self.take()
            query.limit = self.integer()
        if self.is_kw("offset"):
            self.take()
            query.offset = self.integer()

    def integer(self) -> int:
        token = self.expect_kind("number")
        if not token.text.isdigit():
            raise SoqlSyntaxError(f"expected a non-negative integer, not {token.text}")
        return int(token.text)

    def order_item(self) -> OrderItem:
        path = self.name()
        descending = False
        if self.is_kw("asc", "desc"):
            descending = self.take().text.lower() == "desc"
        nulls_last = descending
        if self.is_kw("nulls"):
            self.take()
            if not self.is_kw("first", "last"):
                raise self.fail()
            nulls_last = self.take().text.lower() == "last"
        return OrderItem(path, descending, nulls_last)

    def condition(self) -> Cond:
        operands = [self.unary()]
        joiner: str | None = None
        while self.is_kw("and", "or"):
            word = self.tok.text.upper()
            if joiner is not None and word != joiner:
                raise self.fail()  # SOQL wants parentheses when AND and OR are mixed
            joiner = word
            self.take()
            operands.append(self.unary())
        return operands[0] if joiner is None else BoolOp(joiner, tuple(operands))

    def unary(self) -> Cond:
        if self.is_kw("not"):
            self.take()
            return NotOp(self.unary())
        if self.tok.kind == "punct" and self.tok.text == "(":
            self.take()
            inner = self.condition()
            self.expect_kind("punct", ")")
            return inner
        path = self.name()
        if self.is_kw("like"):
            self.take()
            pattern = Value("string", self.expect_kind("string").text[1:-1])
            like_regex(pattern.text)  # escapes are checked where the literal is read
            return LikeMatch(path, pattern)
        negated = False
        if self.is_kw("not"):
            self.take()
            negated = True
            if not self.is_kw("in"):
                raise self.fail()
        if self.is_kw("in"):
            self.take()
            return InList(path, self.value_list(), negated)
        op = self.expect_kind("op").text
        return Comparison(path, "!=" if op == "<>" else op, self.value())

    def value_list(self) -> tuple[Value, ...]:
        self.expect_kind("punct", "(")
        values = [self.value()]
        while self.tok.kind == "punct" and self.tok.text == ",":
            self.take()
            values.append(self.value())
        self.expect_kind("punct", ")")
        return tuple(values)

    def value(self) -> Value:
        token = self.tok
        if token.kind == "string":
            self.take()
            decode_string(token.text[1:-1])  # escapes are checked where the literal is read
            return Value("string", token.text[1:-1])
        if token.kind in ("number", "date", "datetime"):
            self.take()
            return Value(token.kind, token.text)
        if self.is_kw("true", "false"):
            return Value("boolean", self.take().text.lower())
        if self.is_kw("null"):
            self.take()
            return Value("null", "null")
        raise self.fail()
