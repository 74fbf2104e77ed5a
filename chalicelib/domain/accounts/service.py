"""Accounts: registration, login with rate limiting, logout, profiles, organizations, auth."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from chalicelib.domain.accounts.entities import (
    OWNER,
    SIGN_UP_BALANCE_CENTS,
    SIGN_UP_CURRENCY,
    SIGN_UP_ROLE,
    LoginResult,
    Membership,
    NewAccount,
    Organization,
    User,
    Wallet,
    check_password_rules,
    normalize_email,
    slugify,
)
from chalicelib.domain.accounts.ports import Accounts, PasswordHasher, Sessions, TokenIssuer
from chalicelib.domain.shared.clock import Clock, utcnow
from chalicelib.domain.shared.errors import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)
from chalicelib.domain.shared.principal import PLATFORM_ADMIN, PlatformRole, Principal


class AccountService:
    """Everything about who someone is. Raises Conflict, AuthenticationFailed, RateLimited, NotFound."""

    def __init__(
        self,
        accounts: Accounts,
        sessions: Sessions,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        *,
        max_failures: int,
        failure_window_seconds: int,
        clock: Clock = utcnow,
    ) -> None:
        self._accounts = accounts
        self._sessions = sessions
        self._hasher = hasher
        self._tokens = tokens
        self._max_failures = max_failures
        self._window = failure_window_seconds
        self._clock = clock

    # ------------------------------------------------------------ registration and login
    def register(self, email: str, password: str, name: str, *, role: PlatformRole = SIGN_UP_ROLE) -> User:
        """Create the user, their own organization (as owner) and its wallet at 0.00."""
        check_password_rules(password)
        now = self._clock()
        user_id, org_id = str(uuid.uuid4()), str(uuid.uuid4())
        user = User(
            id=user_id,
            email=normalize_email(email),
            name=name,
            role=role,
            default_org_id=org_id,
            created_at=now,
            updated_at=now,
        )
        org = Organization(
            id=org_id,
            name=f"{name}'s organization",
            slug=slugify(name, secrets.token_hex(3)),
            owner_id=user_id,
            settings={},
            created_at=now,
            updated_at=now,
        )
        self._accounts.create_account(
            NewAccount(
                user=user,
                password_hash=self._hasher.hash(password),
                organization=org,
                membership=Membership(org_id, org.name, user_id, OWNER),
                wallet=Wallet(str(uuid.uuid4()), org_id, SIGN_UP_BALANCE_CENTS, SIGN_UP_CURRENCY),
            )
        )
        return user

    def ensure_admin(self, email: str, password: str) -> bool:
        """Make sure an admin account exists for `email`; True when it was created now.

        Raises Conflict when the address belongs to an ordinary account: it is never promoted.
        """
        existing = self._accounts.user_id_for_email(email)
        if existing is not None:
            found = self._accounts.get_user(existing)
            if found is not None and found[0].role != PLATFORM_ADMIN:
                raise Conflict(
                    f"{email} belongs to an ordinary account; choose another admin address.",
                    details={"field": "email"},
                )
            return False
        self.register(email, password, "Administrator", role=PLATFORM_ADMIN)
        return True

    def login(self, email: str, password: str) -> LoginResult:
        """Raises RateLimited after too many failures in the window, AuthenticationFailed otherwise."""
        now = self._clock()
        epoch = int(now.timestamp())
        address = normalize_email(email)
        failures, window_start = self._sessions.login_failures(address)
        if failures >= self._max_failures and window_start > epoch - self._window:
            retry_after = max(1, window_start + self._window - epoch)
            raise RateLimited(
                "Too many failed logins for this email; try again later.", retry_after=retry_after
            )
        user_id = self._accounts.user_id_for_email(address)
        found = self._accounts.get_user(user_id) if user_id else None
        if not self._hasher.verify(found[1] if found else None, password) or found is None:
            expires = datetime.fromtimestamp(epoch + self._window, UTC)
            self._sessions.record_login_failure(address, epoch, self._window, expires)
            raise AuthenticationFailed("The email or password is not correct.")
        if failures:
            self._sessions.clear_login_failures(address)
        user = found[0]
        token, claims = self._tokens.issue(user.id, user.role, user.default_org_id, epoch)
        return LoginResult(token=token, expires_at=claims.expires, user=user)

    def logout(self, principal: Principal) -> None:
        """Revoke the token until it would have expired anyway."""
        self._sessions.revoke(principal.token_id, datetime.fromtimestamp(principal.token_expires, UTC))

    # ------------------------------------------------------------ per-request authentication
    def authenticate(self, token: str, org_header: str | None, *, needs_org: bool = True) -> Principal:
        """Verify the token, that it is not revoked, and membership of the organization asked for.

        The organization is the header's when given, else the user's own. Not a member → 403.
        """
        claims = self._tokens.verify(token)
        org_id = (org_header or "").strip() or claims.organization_id
        if needs_org:
            revoked, membership = self._sessions.auth_snapshot(claims.token_id, org_id, claims.user_id)
        else:
            revoked, membership = self._sessions.is_revoked(claims.token_id), None
        if revoked:
            raise AuthenticationFailed("The token has been revoked; log in again.")
        if needs_org and membership is None:
            raise PermissionDenied("You are not a member of this organization.")
        return Principal(
            user_id=claims.user_id,
            role=claims.role,
            token_id=claims.token_id,
            token_expires=claims.expires,
            token_issued=claims.issued_at,
            organization_id=org_id if membership else "",
            organization_role=membership.role if membership else None,
        )

    # ------------------------------------------------------------ profile and organizations
    def profile(self, principal: Principal) -> User:
        found = self._accounts.get_user(principal.user_id)
        if found is None:
            raise NotFound("The user no longer exists.")
        return found[0]

    def update_profile(
        self,
        principal: Principal,
        *,
        name: str | None,
        current_password: str | None,
        new_password: str | None,
    ) -> User:
        """Change the name and/or the password (the current password is required for the latter)."""
        found = self._accounts.get_user(principal.user_id)
        if found is None:
            raise NotFound("The user no longer exists.")
        password_hash = None
        if new_password is not None:
            if not current_password:
                raise ValidationFailed(
                    "The current password is required to set a new one.",
                    details={"field": "current_password"},
                )
            if not self._hasher.verify(found[1], current_password):
                raise PermissionDenied(
                    "The current password is not correct.", details={"field": "current_password"}
                )
            check_password_rules(new_password, "new_password")
            password_hash = self._hasher.hash(new_password)
        elif current_password is not None:
            raise ValidationFailed("new_password is missing.", details={"field": "new_password"})
        if name is None and password_hash is None:
            return found[0]
        return self._accounts.update_user(
            principal.user_id, self._clock(), name=name, password_hash=password_hash
        )

    def organizations(self, principal: Principal) -> list[Membership]:
        return self._accounts.list_memberships(principal.user_id)

    def organization(self, principal: Principal, org_id: str) -> tuple[Organization, Membership]:
        """The organization when the caller is a member; NotFound otherwise (no existence leak)."""
        membership = next(
            (m for m in self._accounts.list_memberships(principal.user_id) if m.organization_id == org_id),
            None,
        )
        org = self._accounts.get_organization(org_id) if membership else None
        if org is None or membership is None:
            raise NotFound(f"Organization {org_id} was not found.")
        return org, membership
