"""Who is calling. Walking-skeleton identity: a fixed demo institution user.
(Replaced by OAuth2/JWT with roles, organisation and region in the gateway issue.)"""

from services.common.identity import Principal

DEMO = Principal(subject="demo-user", organisation="org-demo-university", region="BEIJING",
                 roles=frozenset({"institution"}))


async def current_principal() -> Principal:
    return DEMO
