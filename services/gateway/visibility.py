"""Which partner region may see which event: the one rule, used by the pull feed and
the webhook delivery alike (pure).

An event is visible to a partner of region R when
1. it is public: its entity is not a draft (no `status` of DRAFT) and not confidential
   (no `confidential: true`, no `visibility` of CONFIDENTIAL/INTERNAL/PRIVATE), looking at
   the event's own fields and those of the entity snapshot it carries; and
2. it is not region-scoped, or R is among its regions. An event is region-scoped when it
   names its audience explicitly (`visible_regions`, `target_regions` or `regions`), or
   when it belongs to a regional domain (incubation: stations, incubators and
   green-channel cases are run by Tianjin/Hebei regions) and carries a `region`.
   Platform-wide public records (registered achievements, the procurement catalog) are
   visible to every region. Operators see every event."""

DRAFT_STATES = {"DRAFT"}
CONFIDENTIAL = {"CONFIDENTIAL", "INTERNAL", "PRIVATE"}
AUDIENCE_FIELDS = ("visible_regions", "target_regions", "regions")
REGIONAL_DOMAINS = ("bth.incubation.",)


def _parts(data: dict) -> list[dict]:
    return [data, *(v for v in data.values() if isinstance(v, dict))]


def classify(event_type: str, data: dict) -> tuple[bool, list[str] | None]:
    """(public, regions): regions None means every region may see it."""
    public = True
    audience: set[str] = set()
    origin: set[str] = set()
    for part in _parts(data):
        status = part.get("status")
        if isinstance(status, str) and (status in DRAFT_STATES or status.endswith("_DRAFT")):
            public = False
        if part.get("confidential") is True or str(part.get("visibility", "")).upper() in CONFIDENTIAL:
            public = False
        for name in AUDIENCE_FIELDS:
            value = part.get(name)
            if isinstance(value, list):
                audience.update(str(v) for v in value)
        if isinstance(part.get("region"), str) and part["region"]:
            origin.add(part["region"])
    if audience:
        return public, sorted(audience)
    if event_type.startswith(REGIONAL_DOMAINS) and origin:
        return public, sorted(origin)
    return public, None


def visible(public: bool, regions: list[str] | None, region: str, operator: bool = False) -> bool:
    if operator:
        return True
    return public and (regions is None or region in regions)


def mongo_filter(region: str, operator: bool = False) -> dict:
    """The same rule as a MongoDB filter over feed documents (fields public, all_regions, regions)."""
    if operator:
        return {}
    return {"public": True, "$or": [{"all_regions": True}, {"regions": region}]}
