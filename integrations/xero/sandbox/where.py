"""A small, real parser for Xero's ``where`` filter (a Dynamic LINQ dialect, FACTS.md §5).

Supported: ``==``/``=``, ``!=``/``<>``, ``>``, ``<``, ``>=``, ``<=``; ``&&``/``AND``, ``||``/``OR``,
``NOT``/``!``, parentheses; string, number, ``true``/``false``, ``null`` literals;
``Guid("…")``, ``DateTime(y, m, d[, h, mi, s])``, ``DateTime.Parse("…")``; dotted fields
(``Contact.ContactID``) and the methods ``.Contains``, ``.StartsWith``, ``.EndsWith``,
``.ToLower()``, ``.ToUpper()``, ``.ToString()``. Field names are case-insensitive. Errors carry
Dynamic LINQ's wording, which Xero returns as ``QueryParseException``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

Getter = Callable[[dict[str, Any]], Any]
Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"]|"")*")|(?P<num>-?\d+(?:\.\d+)?)|(?P<id>[A-Za-z_][A-Za-z0-9_]*)'
                    r'|(?P<op>==|!=|>=|<=|<>|&&|\|\||[=<>!().,]))')
_COMPARISONS = {"==", "=", "!=", "<>", ">", "<", ">=", "<="}
_STRING_TESTS = {"contains": str.__contains__, "startswith": str.startswith, "endswith": str.endswith}
_STRING_MAPS = {"tolower": str.lower, "toupper": str.upper, "tostring": str}


class WhereError(ValueError):
    """The filter cannot be parsed or applied; the message is what Xero would say."""


class Guid(str):
    """A ``Guid("…")`` literal: compares case-insensitively with id fields."""


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        if text[position:].isspace():
            break
        match = _TOKEN.match(text, position)
        if not match:
            raise WhereError("Unterminated string literal" if '"' in text[position:] else "Syntax error")
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _type_name(value: Any) -> str:
    for kind, name in ((bool, "Boolean"), (datetime, "DateTime"), (date, "DateTime"), (Guid, "Guid"),
                       (str, "String"), (Decimal, "Decimal"), (int, "Int32")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _coerce(op: str, left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, Guid) or isinstance(right, Guid):
        if isinstance(left, str) and isinstance(right, str):
            return left.lower(), right.lower()
    elif isinstance(left, date) and isinstance(right, date):
        as_dt = [v if isinstance(v, datetime) else datetime(v.year, v.month, v.day, tzinfo=UTC) for v in (left, right)]
        return tuple(v if v.tzinfo else v.replace(tzinfo=UTC) for v in as_dt)  # type: ignore[return-value]
    elif isinstance(left, bool) or isinstance(right, bool):
        if isinstance(left, bool) and isinstance(right, bool):
            return left, right
    elif isinstance(left, Decimal | int) and isinstance(right, Decimal | int):
        return Decimal(left), Decimal(right)
    elif isinstance(left, str) and isinstance(right, str):
        return left, right
    raise WhereError(f"Operator '{op}' incompatible with operand types '{_type_name(left)}' and '{_type_name(right)}'")


def compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        same = (left is None) == (right is None)
        return same if op in ("==", "=") else (not same if op in ("!=", "<>") else False)
    a, b = _coerce(op, left, right)
    if op in ("==", "="):
        return bool(a == b)
    if op in ("!=", "<>"):
        return bool(a != b)
    if isinstance(a, bool):
        raise WhereError(f"Operator '{op}' incompatible with operand types 'Boolean' and 'Boolean'")
    return bool({">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op])


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, Getter], type_name: str) -> None:
        self.tokens = _tokenize(text)
        self.position = 0
        self.fields = fields
        self.type_name = type_name

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise WhereError("Expression expected")
        self.position += 1
        return token

    def expect(self, value: str) -> None:
        token = self.peek()
        if token is None or token[1] != value:
            raise WhereError(f"'{value}' expected")
        self.position += 1

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[1].upper() in words

    def parse(self) -> Predicate:
        predicate = self.parse_or()
        if self.peek() is not None:
            raise WhereError("Syntax error")
        return predicate

    def parse_or(self) -> Predicate:
        left = self.parse_and()
        while self.at_word("OR", "||"):
            self.take()
            right, first = self.parse_and(), left
            left = lambda r, a=first, b=right: a(r) or b(r)  # noqa: E731
        return left

    def parse_and(self) -> Predicate:
        left = self.parse_not()
        while self.at_word("AND", "&&"):
            self.take()
            right, first = self.parse_not(), left
            left = lambda r, a=first, b=right: a(r) and b(r)  # noqa: E731
        return left

    def parse_not(self) -> Predicate:
        if self.at_word("NOT", "!"):
            self.take()
            inner = self.parse_not()
            return lambda r: not inner(r)
        return self.parse_comparison()

    def parse_comparison(self) -> Predicate:
        left = self.parse_operand()
        token = self.peek()
        if token is None or token[1] not in _COMPARISONS:
            return lambda r: self._truthy(left(r))
        op = self.take()[1]
        right = self.parse_operand()
        return lambda r: compare(op, left(r), right(r))

    def _truthy(self, value: Any) -> bool:
        if isinstance(value, bool) or value is None:
            return bool(value)
        raise WhereError(f"Expression of type 'Boolean' expected, not '{_type_name(value)}'")

    def parse_operand(self) -> Getter:
        kind, value = self.take()
        if value == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if kind == "str":
            text = value[1:-1].replace('""', '"')
            return lambda r: text
        if kind == "num":
            number = Decimal(value)
            return lambda r: number
        if kind == "id":
            return self.parse_name(value)
        raise WhereError("Expression expected")

    def parse_name(self, name: str) -> Getter:
        lowered = name.lower()
        if lowered in ("and", "or", "not"):
            raise WhereError("Expression expected")
        if lowered in ("true", "false", "null"):
            constant = {"true": True, "false": False, "null": None}[lowered]
            return lambda r: constant
        if lowered == "guid":
            guid = Guid(self.parse_string_argument())
            return lambda r: guid
        if lowered == "datetime":
            moment = self.parse_datetime()
            return lambda r: moment
        return self.parse_field(name)

    def parse_string_argument(self) -> str:
        self.expect("(")
        kind, value = self.take()
        if kind != "str":
            raise WhereError("String literal expected")
        self.expect(")")
        return value[1:-1].replace('""', '"')

    def parse_datetime(self) -> datetime:
        if self.peek() is not None and self.peek()[1] == ".":  # type: ignore[index]
            self.take()
            if self.take()[1].lower() != "parse":
                raise WhereError("No applicable method exists in type 'DateTime'")
            text = self.parse_string_argument()
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise WhereError(f"String was not recognized as a valid DateTime: '{text}'") from None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        self.expect("(")
        parts = [int(self.take_number())]
        while self.peek() is not None and self.peek()[1] == ",":  # type: ignore[index]
            self.take()
            parts.append(int(self.take_number()))
        self.expect(")")
        try:
            return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
        except (TypeError, ValueError):
            raise WhereError("No applicable constructor exists in type 'DateTime'") from None

    def take_number(self) -> str:
        kind, value = self.take()
        if kind != "num":
            raise WhereError("Expression expected")
        return value

    def parse_field(self, name: str) -> Getter:
        path = [name]
        while self.peek() is not None and self.peek()[1] == "." and self.peek(2) != ("op", "("):  # type: ignore[index]
            self.take()
            path.append(self.take()[1])
        getter = self.fields.get(".".join(path).lower())
        if getter is None:
            raise WhereError(f"No property or field '{path[-1]}' exists in type '{self.type_name}'")
        while self.peek() is not None and self.peek()[1] == ".":  # type: ignore[index]
            self.take()
            getter = self.parse_method(getter, self.take()[1])
        return getter

    def parse_method(self, target: Getter, method: str) -> Getter:
        lowered = method.lower()
        if lowered in _STRING_TESTS:
            test, argument = _STRING_TESTS[lowered], self.parse_string_argument()
            return lambda r: isinstance(target(r), str) and test(target(r), argument)
        if lowered in _STRING_MAPS:
            self.expect("(")
            self.expect(")")
            mapping = _STRING_MAPS[lowered]
            return lambda r: None if target(r) is None else mapping(str(target(r)))
        raise WhereError(f"No applicable method '{method}' exists in type 'String'")


def compile_where(text: str, fields: Mapping[str, Getter], type_name: str) -> Predicate:
    """A predicate over records; ``fields`` maps lower-cased dotted names to getters."""
    return _Parser(text, fields, type_name).parse()
