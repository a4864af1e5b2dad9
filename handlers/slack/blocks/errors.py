"""What a person sees when an answer failed: no traceback, no detail that could hold a secret."""

from __future__ import annotations

SOMETHING_WENT_WRONG = ("Sorry, something went wrong on Paidup's side and I couldn't answer. "
                        "Please try again in a minute; if it keeps happening, tell your Paidup admin.")


def error_text() -> str:
    return SOMETHING_WENT_WRONG
