"""Company names and domains, normalised the same way everywhere we compare them.

``name_key("Globex, Inc.") == name_key("Globex Inc") == "globex"``: case, accents, punctuation,
"&"/"and", a leading "The" and trailing legal suffixes (Ltd, Inc, GmbH, ...) don't matter.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

LEGAL_SUFFIXES = {
    "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc", "incorporated", "kg", "limited",
    "llc", "llp", "lp", "ltd", "nv", "oy", "plc", "pty", "sa", "sarl", "sas", "spa", "srl", "ug",
}
# Mailbox providers: an address there says nothing about which company it belongs to.
PERSONAL_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "icloud.com",
    "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ß", "ss")


def name_key(name: str) -> str:
    """The comparable form of a company name ("" for a name that is only punctuation)."""
    text = _fold(name).replace("&", " and ")
    words = re.sub(r"[^\w\s]|_", " ", text).split()
    words = [w for w in words if w != "and"] if len(words) > 2 else words
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _bare_host(host: str) -> str | None:
    host = host.strip().strip(".").lower()
    host = host.removeprefix("www.")
    return host if "." in host else None


def website_domain(website: str | None) -> str | None:
    """``"https://www.Acme.example/about"`` → ``"acme.example"``."""
    if not website or not website.strip():
        return None
    value = website.strip()
    if "//" not in value:
        value = "//" + value
    return _bare_host(urlsplit(value).hostname or "")


def email_domain(email: str | None) -> str | None:
    """The company domain of an address; None for personal mailbox providers."""
    if not email or "@" not in email:
        return None
    domain = _bare_host(email.rsplit("@", 1)[1])
    return None if domain in PERSONAL_MAIL_DOMAINS else domain
