"""The one registry client (services.common.registry_client) against the real registry over
gRPC: one mapping of NOT_FOUND to NotFound naming the caller's field."""

import pytest

from services.common.errors import InvalidInput, NotFound
from services.common.registry_client import RegistryClient
from tests.incubation.support import registered_achievement, uid


async def test_found_registered_missing_and_unregistered(platform):
    settings = platform.settings("incubation")
    client = RegistryClient(settings.registry_addr, settings.grpc_timeout_seconds,
                            settings.internal_auth_key.get_secret_value())
    try:
        org = uid("org-univ-")
        registered = await registered_achievement(platform, org)
        found = await client.registered(registered, "achievement_ids")
        assert (found["achievement_id"], found["status"], found["organisation"]) == (registered, "REGISTERED", org)
        with pytest.raises(NotFound) as missing:
            await client.get_achievement("no-such-achievement", "achievement_ids")
        assert missing.value.field == "achievement_ids"
        assert str(missing.value) == "achievement no-such-achievement does not exist in the registry"
        draft = await registered_achievement(platform, org, status="SUBMITTED")
        with pytest.raises(InvalidInput) as unregistered:
            await client.registered(draft)
        assert unregistered.value.field == "achievement_id" and "SUBMITTED, not registered" in str(unregistered.value)
    finally:
        await client.close()
