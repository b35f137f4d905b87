"""Which partner region may see which event: the one rule used by the pull feed and the
webhook delivery alike (pure). The gateway does not guess: the service that owns the data
decides each event's audience with the read rules of its own queries (services/*/
service_layer/audience.py) and the outbox carries it in the CloudEvent's `bthaudience`
extension attribute. An event without one (a producer that does not decide) reaches
operators only. Operators see every event."""


def audience(decided: tuple[str, ...] | None) -> tuple[bool, list[str]]:
    """(public, regions) of an event from its owner's decision; undecided: operators only."""
    if not decided:
        return False, []
    return True, sorted(decided)


def visible(public: bool, regions: list[str] | None, region: str, operator: bool = False) -> bool:
    if operator:
        return True
    return public and (regions is None or region in regions)


def mongo_filter(region: str, operator: bool = False) -> dict:
    """The same rule as a MongoDB filter over feed documents (fields public, all_regions, regions)."""
    if operator:
        return {}
    return {"public": True, "$or": [{"all_regions": True}, {"regions": region}]}
