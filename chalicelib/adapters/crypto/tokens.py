"""JwtTokenIssuer: HS256 access tokens (PyJWT, imported on first use)."""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib.domain.accounts.entities import TokenClaims
from chalicelib.domain.shared.errors import AuthenticationFailed
from chalicelib.domain.shared.principal import PLATFORM_ADMIN, PlatformRole

MIN_SECRET_BYTES = 32
ALGORITHM = "HS256"


class JwtTokenIssuer:
    """Issues and verifies HS256 JWTs with iss, aud, exp, iat, jti; only HS256 is accepted.

    verify() raises AuthenticationFailed for expired, tampered, wrongly-signed or malformed tokens.
    """

    def __init__(self, secret: bytes, issuer: str, audience: str, ttl_seconds: int) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the token signing key must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl_seconds

    def issue(
        self, user_id: str, role: PlatformRole, organization_id: str, now: int
    ) -> tuple[str, TokenClaims]:
        import jwt

        claims = TokenClaims(user_id, role, organization_id, uuid.uuid4().hex, now, now + self._ttl)
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
            role: PlatformRole = PLATFORM_ADMIN if payload.get("role") == PLATFORM_ADMIN else "user"
            return TokenClaims(
                user_id=str(payload["sub"]),
                role=role,
                organization_id=str(payload.get("org", "")),
                token_id=str(payload["jti"]),
                issued_at=int(payload["iat"]),
                expires=int(payload["exp"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AuthenticationFailed("The token is not valid.") from exc
