"""Wire models of accounts: register, login, profile, organizations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from chalicelib.api.wire import Out, Strict
from chalicelib.domain.accounts.entities import (
    EMAIL_PATTERN,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    LoginResult,
    Membership,
    Organization,
    ProfileUpdate,
    User,
)
from chalicelib.domain.shared.principal import OrgRole, PlatformRole

Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)]
PersonName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=r"\S")]


class RegisterIn(Strict):
    email: Annotated[str, Field(max_length=MAX_EMAIL_LENGTH, pattern=EMAIL_PATTERN)]
    password: Password
    name: PersonName


class LoginIn(Strict):
    email: Annotated[str, Field(min_length=1, max_length=MAX_EMAIL_LENGTH)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


def _no_default(schema: dict[str, Any]) -> None:
    """An omitted field is unchanged; its Python default (None) is not a value the document offers."""
    schema.pop("default", None)


class ProfileUpdateIn(Strict):
    """Change the name and/or the password; a new password needs the current one (and vice versa)."""

    model_config = ConfigDict(
        json_schema_extra={
            "dependentRequired": {
                "new_password": ["current_password"],
                "current_password": ["new_password"],
            }
        }
    )

    # Omitted means unchanged; null is not a value here (SkipJsonSchema keeps it out of the document).
    name: PersonName | SkipJsonSchema[None] = Field(default=None, json_schema_extra=_no_default)
    current_password: Annotated[str, Field(min_length=1, max_length=1024)] | SkipJsonSchema[None] = Field(
        default=None, json_schema_extra=_no_default
    )
    new_password: Password | SkipJsonSchema[None] = Field(default=None, json_schema_extra=_no_default)


class UserOut(Out):
    id: str
    email: str
    name: str
    role: PlatformRole
    default_organization_id: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, u: User) -> UserOut:
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,
            default_organization_id=u.default_org_id,
            created_at=u.created_at,
            updated_at=u.updated_at,
        )


class ProfileUpdateOut(UserOut):
    """The user; after a password change also a fresh access token, because every token issued before the
    change (the one used for this call too) is no longer accepted. Both are null otherwise."""

    token: str | None = None
    expires_at: int | None = None

    @classmethod
    def of_update(cls, u: ProfileUpdate) -> ProfileUpdateOut:
        return cls(**UserOut.of(u.user).model_dump(), token=u.token, expires_at=u.expires_at)


class LoginOut(Out):
    success: bool
    token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a scheme name, not a secret
    expires_at: int
    user: UserOut

    @classmethod
    def of(cls, r: LoginResult) -> LoginOut:
        return cls(success=True, token=r.token, expires_at=r.expires_at, user=UserOut.of(r.user))


class MembershipOut(Out):
    id: str
    name: str
    role: OrgRole

    @classmethod
    def of(cls, m: Membership) -> MembershipOut:
        return cls(id=m.organization_id, name=m.organization_name, role=m.role)


class OrganizationListOut(Out):
    organizations: list[MembershipOut]


class OrganizationOut(Out):
    id: str
    name: str
    slug: str
    owner_id: str
    settings: dict[str, object]
    role: OrgRole
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, o: Organization, m: Membership) -> OrganizationOut:
        return cls(
            id=o.id,
            name=o.name,
            slug=o.slug,
            owner_id=o.owner_id,
            settings=o.settings,
            role=m.role,
            created_at=o.created_at,
            updated_at=o.updated_at,
        )
