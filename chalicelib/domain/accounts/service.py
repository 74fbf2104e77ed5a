"""Accounts: registration, login with rate limiting, logout, profiles, organizations, auth."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from chalicelib.domain.accounts.entities import (
    OWNER,
    SIGN_UP_BALANCE_CENTS,
    SIGN_UP_CURRENCY,
    SIGN_UP_ROLE,
    SUSPENDED,
    LoginResult,
    Membership,
    NewAccount,
    Organization,
    ProfileUpdate,
    SignInLimits,
    User,
    Wallet,
    address_bucket,
    check_password_rules,
    normalize_email,
    slugify,
)
from chalicelib.domain.accounts.ports import Accounts, PasswordHasher, Sessions, TokenIssuer
from chalicelib.domain.audit.entities import ANONYMOUS_ACTOR
from chalicelib.domain.shared.audit import AuditEvent, AuditTrail, NoAudit
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

DEFAULT_LIMITS = SignInLimits()
# An attempt being checked holds its account at least this long (an API Gateway request ends after 29 s),
# so a crashed check can block the account no longer than this or the longest back-off.
MIN_HOLD_SECONDS = 30


@dataclass
class _Attempt:
    """One counted sign-in attempt; `matched` is set when the password was right."""

    matched: bool = False


class AccountService:
    """Everything about who someone is. Raises Conflict, AuthenticationFailed, RateLimited, NotFound."""

    def __init__(
        self,
        accounts: Accounts,
        sessions: Sessions,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        *,
        limits: SignInLimits = DEFAULT_LIMITS,
        clock: Clock = utcnow,
        audit: AuditTrail | None = None,
    ) -> None:
        self._accounts = accounts
        self._sessions = sessions
        self._hasher = hasher
        self._tokens = tokens
        self._limits = limits
        self._clock = clock
        self._audit = audit or NoAudit()

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
        self._record("user.registered", user.id, user, after={"email": user.email, "role": role})
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
            if found is not None:  # also lists an admin made before the admin index existed
                self._accounts.set_role(existing, PLATFORM_ADMIN, self._clock())
            return False
        self.register(email, password, "Administrator", role=PLATFORM_ADMIN)
        return True

    def login(self, email: str, password: str, *, client_address: str) -> LoginResult:
        """Raises RateLimited while the account backs off or the client address has used up its attempts
        (the password is then not checked at all), AuthenticationFailed for a wrong email or password."""
        epoch = self._epoch()
        account = normalize_email(email)
        with self._attempt(account, client_address, epoch) as attempt:
            user_id = self._accounts.user_id_for_email(account)
            found = self._accounts.get_user(user_id) if user_id else None
            attempt.matched = self._hasher.verify(found[1] if found else None, password) and found is not None
        if not attempt.matched or found is None:
            # Only attempts whose password was checked are recorded: the rate limits bound how many.
            self._record(
                "auth.login_failed", ANONYMOUS_ACTOR, found[0] if found else None, {"email": account}
            )
            raise AuthenticationFailed("The email or password is not correct.")
        user = found[0]
        if user.status == SUSPENDED:
            self._record("auth.login_refused", user.id, user, {"reason": "suspended"})
            raise AuthenticationFailed("This account is suspended; contact support to have it restored.")
        session = self._session(user, epoch)
        self._record("auth.login", user.id, user)
        return session

    def _record(
        self, action: str, actor_id: str, user: User | None, after: dict[str, object] | None = None
    ) -> None:
        """An audit entry about `user`'s account, in the trail of their own organization."""
        self._audit.record(
            AuditEvent(
                action=action,
                actor_id=actor_id,
                organization_id=user.default_org_id if user else None,
                target_type="user" if user else None,
                target_id=user.id if user else None,
                after=after,
            )
        )

    def _session(self, user: User, epoch: int) -> LoginResult:
        # Issued after the last password change even within its second (tokens of that second are void).
        issued = max(epoch, user.tokens_valid_after + 1)
        token, claims = self._tokens.issue(user.id, user.role, user.default_org_id, issued)
        return LoginResult(token=token, expires_at=claims.expires, user=user)

    @contextmanager
    def _attempt(self, account: str, client_address: str, epoch: int) -> Iterator[_Attempt]:
        """Count the attempt for the client address and the account BEFORE the password is checked, so a
        burst can never check more than the limits allow; then clear (right) or settle (wrong) it.

        Raises RateLimited, with the seconds to wait, when either counter refuses the attempt.
        """
        limits = self._limits
        bucket = address_bucket(client_address)
        by_address = self._sessions.claim_address_attempt(
            bucket, epoch, limit=limits.address_max_failures, window=limits.address_window_seconds
        )
        if not by_address.counted:
            raise RateLimited(
                "Too many failed sign-ins from your network; try again later.",
                retry_after=max(1, by_address.until - epoch),
            )
        try:
            by_account = self._sessions.claim_account_attempt(
                account,
                epoch,
                free=limits.free_failures,
                hold_until=epoch + max(limits.backoff_max_seconds, MIN_HOLD_SECONDS),
                expires=epoch + limits.memory_seconds,
            )
        except BaseException:
            self._sessions.release_address_attempt(bucket, by_address.until)
            raise
        if not by_account.counted:  # refused attempts do not use up the address's budget
            self._sessions.release_address_attempt(bucket, by_address.until)
            # While the latest attempt is still being checked, `until` is its hold: the wait that follows
            # its failure is the back-off for the count.
            wait = min(by_account.until - epoch, limits.backoff(by_account.count))
            raise RateLimited(
                "Too many failed sign-ins for this account; wait before trying again.",
                retry_after=max(1, wait),
            )
        attempt = _Attempt()
        try:
            yield attempt
        finally:
            if attempt.matched:
                self._sessions.clear_account_attempts(account)
                self._sessions.release_address_attempt(bucket, by_address.until)
            else:  # the back-off runs from when the failure is known
                settled = self._epoch()
                self._sessions.settle_account_failure(
                    account,
                    by_account.count,
                    until=settled + limits.backoff(by_account.count),
                    expires=settled + limits.memory_seconds,
                )

    def _epoch(self) -> int:
        return int(self._clock().timestamp())

    def logout(self, principal: Principal) -> None:
        """Revoke the token until it would have expired anyway."""
        self._sessions.revoke(principal.token_id, datetime.fromtimestamp(principal.token_expires, UTC))
        found = self._accounts.get_user(principal.user_id)
        self._record("auth.logout", principal.user_id, found[0] if found else None)

    # ------------------------------------------------------------ per-request authentication
    def authenticate(self, token: str, org_header: str | None, *, needs_org: bool = True) -> Principal:
        """Verify the token, that it is not revoked nor older than the last password change, and
        membership of the organization asked for, all from one store read.

        The organization is the header's when given, else the user's own. Not a member → 403.
        """
        claims = self._tokens.verify(token)
        org_id = (org_header or "").strip() or claims.organization_id
        snapshot = self._sessions.auth_snapshot(
            claims.token_id, org_id if needs_org else None, claims.user_id
        )
        if snapshot.revoked:
            raise AuthenticationFailed("The token has been revoked; log in again.")
        if not snapshot.user_exists:
            raise AuthenticationFailed("The account no longer exists.")
        if snapshot.suspended:
            raise AuthenticationFailed("This account is suspended; contact support to have it restored.")
        if claims.issued_at <= snapshot.tokens_valid_after:
            raise AuthenticationFailed(
                "The password was changed (or the account's role or status) after this token was issued; "
                "log in again."
            )
        membership = snapshot.membership if needs_org else None
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
            project_ids=frozenset(membership.project_ids)
            if membership is not None and membership.project_ids is not None
            else None,
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
        client_address: str,
    ) -> ProfileUpdate:
        """Change the name and/or the password (the current password is required for the latter).

        Checking the current password counts as a sign-in attempt (RateLimited like login). A new password
        voids every token issued before it, this caller's too; the answer carries a fresh one.
        """
        found = self._accounts.get_user(principal.user_id)
        if found is None:
            raise NotFound("The user no longer exists.")
        user, current_hash = found
        password_hash = None
        if new_password is not None:
            if not current_password:
                raise ValidationFailed(
                    "The current password is required to set a new one.",
                    details={"field": "current_password"},
                )
            with self._attempt(user.email, client_address, self._epoch()) as attempt:
                attempt.matched = self._hasher.verify(current_hash, current_password)
            if not attempt.matched:
                raise PermissionDenied(
                    "The current password is not correct.", details={"field": "current_password"}
                )
            check_password_rules(new_password, "new_password")
            password_hash = self._hasher.hash(new_password)
        elif current_password is not None:
            raise ValidationFailed("new_password is missing.", details={"field": "new_password"})
        if name is None and password_hash is None:
            return ProfileUpdate(user)
        now = self._clock()
        changed_at = int(now.timestamp()) if password_hash is not None else None
        updated = self._accounts.update_user(
            principal.user_id, now, name=name, password_hash=password_hash, tokens_valid_after=changed_at
        )
        if changed_at is None:
            return ProfileUpdate(updated)
        self._record("auth.password_changed", principal.user_id, updated, {"tokens_valid_after": changed_at})
        session = self._session(updated, changed_at)
        return ProfileUpdate(updated, token=session.token, expires_at=session.expires_at)

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
