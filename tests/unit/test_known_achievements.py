"""Issue 12 item 4: the known-achievements read models answer another organisation's draft
(or submission, or rejection) with 404, as the registry does; public ones, the owner's own
and operators' reads are served. The public states are the registry's own."""

import pytest

from services.common import known
from services.common.errors import NotFound
from services.common.identity import Principal
from services.registry.domain import model

OWNER = Principal("u-1", "org-univ", "BEIJING", frozenset({"institution"}))
OTHER = Principal("b-1", "org-buyer", "TIANJIN", frozenset({"buyer"}))
PARTNER = Principal("p-1", "", "HEBEI", frozenset({"partner"}))
OPERATOR = Principal("op", "platform", "BEIJING", frozenset({"operator"}))


class _Views:
    def __init__(self, status: str):
        self.status = status

    async def known_achievement(self, achievement_id):
        return {"achievement_id": achievement_id, "status": self.status, "organisation": "org-univ"}


class _Uow:
    def __init__(self, status: str):
        self.views = _Views(status)


class _Cmd:
    def __init__(self, actor):
        self.actor, self.achievement_id = actor, "ach-1"


def test_the_public_states_are_the_registrys():
    assert known.PUBLIC_STATES == tuple(s.value for s in model.PUBLIC)


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED", "RETURNED", "REJECTED", "WITHDRAWN"])
async def test_a_non_public_achievement_is_404_to_others_and_served_to_its_owner_and_operators(status):
    handle = known.get_known_achievement("procurement")
    for stranger in (OTHER, PARTNER):
        with pytest.raises(NotFound):
            await handle(_Cmd(stranger), _Uow(status), None)
    for reader in (OWNER, OPERATOR):
        assert (await handle(_Cmd(reader), _Uow(status), None))["status"] == status


@pytest.mark.parametrize("status", ["IN_NOTICE", "REGISTERED"])
async def test_a_public_achievement_is_served_to_everyone(status):
    handle = known.get_known_achievement("incubation")
    for reader in (OWNER, OTHER, PARTNER, OPERATOR):
        assert (await handle(_Cmd(reader), _Uow(status), None))["status"] == status
