"""Passwords and tokens: what an attacker would try."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from chalicelib.adapters.crypto.passwords import Argon2PasswordHasher as PasswordHasher
from chalicelib.adapters.crypto.tokens import JwtTokenIssuer as TokenService
from chalicelib.domain.shared.errors import AuthenticationFailed

SECRET = b"k" * 32


def tokens(ttl: int = 60) -> TokenService:
    return TokenService(SECRET, "iss", "aud", ttl)


def test_password_hashes_are_argon2id_with_at_least_owasp_parameters() -> None:
    hashed = PasswordHasher().hash("correct horse")
    assert hashed.startswith("$argon2id$")
    params = dict(part.split("=") for part in hashed.split("$")[3].split(","))
    assert int(params["m"]) >= 19456 and int(params["t"]) >= 2 and int(params["p"]) >= 1


def test_password_verification_accepts_the_password_and_refuses_others() -> None:
    hasher = PasswordHasher()
    hashed = hasher.hash("correct horse")
    assert hasher.verify(hashed, "correct horse")
    assert not hasher.verify(hashed, "wrong horse")
    assert not hasher.verify(None, "correct horse")


def test_a_short_signing_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TokenService(b"short", "iss", "aud", 60)


def test_an_issued_token_verifies_to_its_claims() -> None:
    token, claims = tokens().issue("u1", "user", "o1", int(time.time()))
    assert tokens().verify(token) == claims
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "HS256"


def test_an_expired_token_is_refused() -> None:
    token, _ = tokens(ttl=1).issue("u1", "user", "o1", int(time.time()) - 100)
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens().verify(token)


def test_a_tampered_token_is_refused() -> None:
    token, _ = tokens().issue("u1", "user", "o1", int(time.time()))
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(AuthenticationFailed):
        tokens().verify(f"{header}.{forged}.{signature}")


def test_an_unsigned_alg_none_token_is_refused() -> None:
    now = int(time.time())
    claims = {
        "sub": "u1",
        "role": "admin",
        "org": "o1",
        "jti": "x",
        "iss": "iss",
        "aud": "aud",
        "iat": now,
        "exp": now + 60,
    }
    unsigned = jwt.encode(claims, key="", algorithm="none")
    with pytest.raises(AuthenticationFailed):
        tokens().verify(unsigned)


def test_a_token_for_another_audience_or_signed_with_another_key_is_refused() -> None:
    other_aud, _ = TokenService(SECRET, "iss", "other", 60).issue("u1", "user", "o1", int(time.time()))
    other_key, _ = TokenService(b"x" * 32, "iss", "aud", 60).issue("u1", "user", "o1", int(time.time()))
    for token in (other_aud, other_key, "not-a-jwt"):
        with pytest.raises(AuthenticationFailed):
            tokens().verify(token)
