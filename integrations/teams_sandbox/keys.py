"""The stand-in's signing key: an RSA key pair published as a JWKS (as login.botframework.com
publishes its keys, with ``endorsements`` naming the channels each key may sign for)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey

    def jwk(self, endorsements: tuple[str, ...] = ("msteams",)) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        thumb = base64.urlsafe_b64encode(self.kid.encode()).decode().rstrip("=")
        return {**public, "use": "sig", "kid": self.kid, "x5t": thumb, "endorsements": list(endorsements)}


@cache
def signing_key(kid: str = "sandbox-key-1") -> SigningKey:
    """One key per kid per process (generating RSA keys is slow; tests share them)."""
    return SigningKey(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048))
