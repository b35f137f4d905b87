"""Demo data for `make run`: organisations, one user per role and two partner clients
(Tianjin, Hebei), with dev credentials to print. Idempotent (existing accounts are kept).
Dev only: these passwords and secrets are public."""

from services.common.clock import SystemClock
from services.gateway import accounts

ORGANISATIONS = [
    ("org-demo-university", "示范大学 Demo University", "BEIJING"),
    ("org-beijing-supervisor", "北京市科委 Beijing S&T Commission", "BEIJING"),
    ("org-jingjin-devices", "京津器械有限公司 Jingjin Devices Ltd", "TIANJIN"),
    ("org-beijing-hospital", "北京示范医院 Beijing Demo Hospital (buyer)", "BEIJING"),
    ("org-expert-pool", "评审专家库 Expert pool", "BEIJING"),
    ("org-hebei-station", "首都科技条件平台河北合作站 Hebei station", "HEBEI"),
    ("org-platform", "平台运营 Platform operations", "BEIJING"),
    ("org-tianjin-platform", "天津科技成果平台 Tianjin partner system", "TIANJIN"),
    ("org-hebei-platform", "河北科技成果平台 Hebei partner system", "HEBEI"),
    ("org-tianjin-university", "天津示范工业大学 Tianjin Demo University of Technology", "TIANJIN"),
    ("org-hebei-academy", "河北省示范农林科学院 Hebei Demo Academy of Agricultural Sciences", "HEBEI"),
    ("org-beijing-equipment", "北京精工智能装备有限公司 Beijing Precision Equipment Co.", "BEIJING"),
    ("org-tianjin-station", "首都科技条件平台天津滨海合作站 Tianjin Binhai station", "TIANJIN"),
]
USERS = [  # username, organisation, region, role
    ("demo-institution", "org-demo-university", "BEIJING", "institution"),
    ("demo-supervisor", "org-beijing-supervisor", "BEIJING", "supervisor"),
    ("demo-enterprise", "org-jingjin-devices", "TIANJIN", "enterprise"),
    ("demo-buyer", "org-beijing-hospital", "BEIJING", "buyer"),
    ("demo-expert", "org-expert-pool", "BEIJING", "expert"),
    ("demo-station", "org-hebei-station", "HEBEI", "station"),
    ("demo-operator", "org-platform", "BEIJING", "operator"),
    # more of the living demo (services/demo): the other regions' institutions, a Beijing vendor,
    # a second station, and the three experts a catalog decision needs
    ("demo-institution-tj", "org-tianjin-university", "TIANJIN", "institution"),
    ("demo-institution-hb", "org-hebei-academy", "HEBEI", "institution"),
    ("demo-enterprise-bj", "org-beijing-equipment", "BEIJING", "enterprise"),
    ("demo-station-tj", "org-tianjin-station", "TIANJIN", "station"),
    ("demo-expert-2", "org-expert-pool", "BEIJING", "expert"),
    ("demo-expert-3", "org-expert-pool", "BEIJING", "expert"),
]
CLIENTS = [("tianjin-partner", "org-tianjin-platform", "TIANJIN"), ("hebei-partner", "org-hebei-platform", "HEBEI")]


def dev_password(username: str) -> str:
    return f"{username}-dev-pass"


def dev_secret(client_id: str) -> str:
    return f"cs_dev_{client_id}_not_for_production"


async def seed_demo(db, settings) -> list[str]:
    now = SystemClock().now()
    for org_id, name, region in ORGANISATIONS:
        await db["organisations"].update_one({"_id": org_id}, {"$set": {"name": name, "region": region}},
                                             upsert=True)
    lines = ["Demo accounts (dev only) — token: POST /api/v1/oauth/token",
             "  people (grant_type=password):"]
    for username, org, region, role in USERS:
        await accounts.ensure_user(db, now, username, dev_password(username), org, region, [role])
        lines.append(f"    {role:<12} {username:<18} password {dev_password(username):<28} {org} ({region})")
    lines.append("  partner systems (grant_type=client_credentials):")
    for client_id, org, region in CLIENTS:
        if await db[accounts.COLLECTION].find_one({"_id": client_id}) is None:
            await accounts.create_client(db, now, client_id, org, region, ["partner"], secret=dev_secret(client_id))
        lines.append(f"    {client_id:<18} secret {dev_secret(client_id)}  {org} ({region})")
    lines.append(f"  e.g. curl -s -d grant_type=password -d username=demo-institution "
                 f"-d password={dev_password('demo-institution')} http://127.0.0.1:{settings.http_port}"
                 "/api/v1/oauth/token")
    return lines


async def bootstrap_operator(db, settings) -> bool:
    """The first operator account from BOOTSTRAP_OPERATOR_USERNAME / _PASSWORD (if set)."""
    if not settings.bootstrap_operator_username:
        return False
    return await accounts.ensure_user(db, SystemClock().now(), settings.bootstrap_operator_username,
                                      settings.bootstrap_operator_password, "org-platform", "BEIJING",
                                      ["operator"], "bootstrap operator")
