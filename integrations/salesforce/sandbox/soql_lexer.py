"""The SOQL lexer: tokens, string literal escapes and LIKE patterns, from Salesforce's SOQL reference.

String literals: ``\\n \\r \\t \\b \\f \\" \\' \\\\`` and ``\\uXXXX``; ``\\%`` and ``\\_`` only in LIKE;
any other backslash is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2}))
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>[+-]?\d+(?:\.\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>!=|<>|<=|>=|=|<|>)
  | (?P<punct>[(),])
""", re.VERBOSE | re.DOTALL)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class SoqlSyntaxError(Exception):
    """MALFORMED_QUERY: the text is not SOQL we understand."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            what = "unterminated string literal" if text[pos] == "'" else f"unexpected character {text[pos]!r}"
            raise SoqlSyntaxError(f"{what} at column {pos + 1}")
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("eof", "", len(text)))
    return tokens


def _scan(body: str, in_like: bool) -> Iterator[tuple[bool, str]]:
    """(is_wildcard, character) for each character a string literal's body stands for."""
    i = 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            yield in_like and char in "%_", char
            i += 1
            continue
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if nxt in _ESCAPES:
            yield False, _ESCAPES[nxt]
            i += 2
        elif nxt == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", body[i + 2:i + 6]):
            yield False, chr(int(body[i + 2:i + 6], 16))
            i += 6
        elif in_like and nxt in "%_":
            yield False, nxt
            i += 2
        else:
            raise SoqlSyntaxError(f"Invalid string literal '{body}'. Illegal character sequence '\\{nxt}' "
                                  "in string literal.")


def decode_string(body: str) -> str:
    """The value of a string literal, from the body between its quotes."""
    return "".join(char for _, char in _scan(body, in_like=False))


def like_regex(body: str) -> re.Pattern[str]:
    """A case-insensitive full-match regex for a LIKE pattern body: ``%`` any run, ``_`` one character."""
    parts = [(".*" if char == "%" else ".") if wild else re.escape(char) for wild, char in _scan(body, in_like=True)]
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
