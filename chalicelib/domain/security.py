"""Password hashing (argon2id) and access tokens (signed JWT with a revocation list)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import AuthenticationFailed

# OWASP's minimum for argon2id: m=19 MiB, t=2, p=1.
ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MIN_SECRET_BYTES = 32
ALGORITHM = "HS256"


class PasswordHasher:
    """argon2id hashes; verify() is constant-time and also runs for unknown users."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher as Argon2Hasher
        from argon2 import Type

        self._hasher = Argon2Hasher(
            time_cost=ARGON2_TIME_COST,
            memory_cost=ARGON2_MEMORY_KIB,
            parallelism=ARGON2_PARALLELISM,
            type=Type.ID,
        )
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; a None hash is checked against a decoy (same cost)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return (
                bool(self._hasher.verify(password_hash or self._decoy, password))
                and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    role: str
    organization_id: str
    token_id: str
    expires: int


class TokenService:
    """Issues and verifies HS256 JWTs with iss, aud, exp, iat, jti; only HS256 is accepted."""

    def __init__(self, secret: bytes, issuer: str, audience: str, ttl_seconds: int) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the token signing key must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl_seconds

    def issue(self, user_id: str, role: str, organization_id: str, now: int) -> tuple[str, TokenClaims]:
        import jwt

        claims = TokenClaims(user_id, role, organization_id, uuid.uuid4().hex, now + self._ttl)
        payload: dict[str, Any] = {
            "sub": user_id,
            "role": role,
            "org": organization_id,
            "jti": claims.token_id,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "nbf": now,
            "exp": claims.expires,
        }
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM), claims

    def verify(self, token: str) -> TokenClaims:
        """Raises AuthenticationFailed for expired, tampered, wrongly-signed or malformed tokens."""
        import jwt

        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "iss", "aud", "jti", "sub"]},
                leeway=5,
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationFailed("The token has expired; log in again.") from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed("The token is not valid.") from exc
        try:
            return TokenClaims(
                user_id=str(payload["sub"]),
                role=str(payload.get("role", "user")),
                organization_id=str(payload.get("org", "")),
                token_id=str(payload["jti"]),
                expires=int(payload["exp"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AuthenticationFailed("The token is not valid.") from exc
