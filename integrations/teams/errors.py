"""One hierarchy for what Teams' side can answer: a token refused, a connector call failed."""

from __future__ import annotations


class TeamsError(Exception):
    """Base of every Teams connector error."""


class TeamsAuthError(TeamsError):
    """Entra refused the bot's credentials (the message says which AADSTS error, never the secret)."""


class TeamsApiError(TeamsError):
    """The connector answered a call with an error status."""

    def __init__(self, message: str, status: int, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
