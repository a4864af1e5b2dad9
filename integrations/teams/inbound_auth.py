"""Is this activity really from the Bot Framework, for this bot? (FACTS §2, [bf-auth])

The ``Authorization: Bearer`` JWT on every inbound activity must be: signed RS256 by a key in the
JWKS that the OpenID metadata document names (``jwks_uri``); issued by ``https://api.botframework.com``;
for this bot (``aud`` = the app id, or ``api://{id}`` / ``api://botid-{id}`` as the Teams SDK accepts);
within ``exp``/``nbf`` with 300 s of clock skew (the Teams SDK's leeway); and its ``serviceurl`` claim
must equal the activity's ``serviceUrl``, so a reply never goes to a URL an attacker chose. When the
key carries ``endorsements``, the activity's channel must be one of them.

Done with PyJWT rather than the Teams SDK's ``TokenValidator`` (``microsoft-teams-apps``): that one
is async, part of the SDK's FastAPI app runtime, and derives the JWKS URL from the metadata URL by
string replacement instead of reading ``jwks_uri``; the checks here are the same.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
CLOCK_SKEW_SECONDS = 300
KEYS_MAX_AGE = 24 * 3600.0  # re-read the key set daily (Microsoft rolls keys)
UNKNOWN_KID_RETRY = 60.0  # an unknown key id re-reads the set at most once a minute

SigningKey = tuple[jwt.PyJWK, Any]  # the key, and its "endorsements" (the channels it may sign for)


class InvalidInboundToken(Exception):
    """The request is not from the Bot Framework for this bot (the reason, never the token)."""


class InboundTokenValidator:
    def __init__(self, http: httpx.Client, openid_url: str, app_id: str,
                 clock: Callable[[], float] = time.time) -> None:
        if not app_id:
            raise ValueError("the bot's app id is needed to check the token's audience")
        self._http = http
        self.openid_url = openid_url
        self.audiences = [app_id, f"api://{app_id}", f"api://botid-{app_id}"]
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at = float("-inf")

    def validate(self, authorization: str | None, service_url: str | None, channel_id: str | None) -> dict[str, Any]:
        """The token's claims when ``authorization`` is a valid Bot Framework bearer token for this
        activity; InvalidInboundToken otherwise."""
        if not authorization or not authorization.startswith("Bearer "):
            raise InvalidInboundToken("no bearer token")
        raw = authorization.removeprefix("Bearer ").strip()
        try:
            header = jwt.get_unverified_header(raw)
        except jwt.PyJWTError:
            raise InvalidInboundToken("not a JWT") from None
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise InvalidInboundToken("unexpected signing algorithm or no key id")
        key, endorsements = self._key(header["kid"])
        if channel_id and isinstance(endorsements, list) and channel_id not in endorsements:
            raise InvalidInboundToken(f"the signing key is not endorsed for channel {channel_id!r}")
        try:
            claims = jwt.decode(raw, key.key, algorithms=["RS256"], audience=self.audiences,
                                issuer=BOT_FRAMEWORK_ISSUER, leeway=CLOCK_SKEW_SECONDS,
                                options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError as exc:
            raise InvalidInboundToken(f"{type(exc).__name__}: {exc}") from None
        claimed = claims.get("serviceurl")
        if not service_url or not isinstance(claimed, str) or claimed.rstrip("/") != service_url.rstrip("/"):
            raise InvalidInboundToken("the token's serviceurl does not match the activity's serviceUrl")
        return claims

    def _key(self, kid: str) -> SigningKey:
        with self._lock:
            age = self._clock() - self._fetched_at
            if age > KEYS_MAX_AGE or (kid not in self._keys and age > UNKNOWN_KID_RETRY):
                self._keys = self._fetch_keys()
                self._fetched_at = self._clock()
            key = self._keys.get(kid)
        if key is None:
            raise InvalidInboundToken("the token is signed by an unknown key")
        return key

    def _fetch_keys(self) -> dict[str, SigningKey]:
        try:
            metadata = self._http.get(self.openid_url).raise_for_status().json()
            found = self._http.get(metadata["jwks_uri"]).raise_for_status().json()["keys"]
            keys = {k["kid"]: (jwt.PyJWK(k), k.get("endorsements")) for k in found
                    if isinstance(k, dict) and k.get("kty") == "RSA" and isinstance(k.get("kid"), str)}
        except (httpx.HTTPError, ValueError, KeyError, TypeError, jwt.PyJWTError) as exc:
            # Keep answering with the keys we had: a metadata outage must not reject valid traffic.
            if self._keys:
                return self._keys
            raise InvalidInboundToken(f"cannot read the Bot Framework signing keys ({type(exc).__name__})") from None
        return keys
