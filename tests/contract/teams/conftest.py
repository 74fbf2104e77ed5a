"""The team stores twice: the repositories against moto, and FakeTeams (both over their accounts store)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chalicelib.domain.accounts.entities import NewAccount
from chalicelib.domain.accounts.ports import Accounts
from chalicelib.domain.teams.ports import Invites, Members, Projects
from tests.contract.builders import new_account
from tests.contract.conftest import IMPLEMENTATIONS, _bind_real_tables


@dataclass(frozen=True)
class TeamStores:
    accounts: Accounts
    members: Members
    invites: Invites
    projects: Projects

    def sign_up(self, name: str) -> NewAccount:
        account = new_account(email=f"{name.lower()}@example.com", name=name)
        self.accounts.create_account(account)
        return account


@pytest.fixture(params=IMPLEMENTATIONS)
def team_stores(request: pytest.FixtureRequest) -> TeamStores:
    if request.param == "dynamodb":
        _bind_real_tables(request)
        from chalicelib.store.accounts.repository import AccountRepository
        from chalicelib.store.teams.invites import InviteRepository
        from chalicelib.store.teams.members import MemberRepository
        from chalicelib.store.teams.projects import ProjectRepository

        return TeamStores(AccountRepository(), MemberRepository(), InviteRepository(), ProjectRepository())
    from tests.fakes.accounts import FakeAccounts
    from tests.fakes.teams import FakeTeams

    accounts = FakeAccounts()
    fake = FakeTeams(accounts)
    return TeamStores(accounts, fake, fake, fake)
