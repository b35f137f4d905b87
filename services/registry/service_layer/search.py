"""Search and "match my need": filters in MongoDB (over the stored jieba terms), ranking in
the domain (ranking.py), cursor pagination over the ranked list (the cursor is the offset)."""

import base64

from pydantic import TypeAdapter

from services.common.errors import InvalidInput, require
from services.registry.domain import commands, disclosure, model, ranking, taxonomy, text
from services.registry.service_layer.deps import Deps

MAX_CANDIDATES = 2000
_ADAPTER = TypeAdapter(model.Achievement)


def _cursor(value: str) -> int:
    if not value:
        return 0
    try:
        return int(base64.urlsafe_b64decode(value.encode()).decode())
    except ValueError:
        raise InvalidInput("cursor is not one this API returned", "cursor") from None


def _filters(cmd: commands.SearchAchievements, default_status: list[str]) -> dict:
    query: dict = {}
    if cmd.status:
        require(cmd.status in (s.value for s in model.PUBLIC), "status must be IN_NOTICE or REGISTERED", "status")
        query["status"] = cmd.status
    else:
        query["status"] = {"$in": default_status}
    for name, allowed in (("field", taxonomy.FIELDS), ("region", taxonomy.REGIONS), ("type", taxonomy.TYPES)):
        value = getattr(cmd, name)
        if value:
            require(value in allowed, f"unknown {name} {value!r}", name)
            query[name] = value
    if cmd.transfer_mode:
        require(cmd.transfer_mode in taxonomy.TRANSFER_MODES, f"unknown transfer mode {cmd.transfer_mode!r}",
                "transfer_mode")
        query["transfer_modes"] = cmd.transfer_mode
    require(0 <= cmd.trl_min <= 9, "trl_min must be between 1 and 9", "trl_min")
    require(0 <= cmd.trl_max <= 9, "trl_max must be between 1 and 9", "trl_max")
    trl = {k: v for k, v in (("$gte", cmd.trl_min), ("$lte", cmd.trl_max)) if v}
    if trl:
        query["trl"] = trl
    if cmd.organisation:
        query["organisation"] = cmd.organisation
    return query


async def _run(cmd: commands.SearchAchievements, uow, default_status: list[str], need_required: bool) -> dict:
    if need_required:
        require(bool(cmd.q.strip()), "describe the need (free text)", "q")
    page_size = cmd.page_size or 20
    require(1 <= page_size <= 200, "page_size must be between 1 and 200", "page_size")
    offset = _cursor(cmd.cursor)
    query = _filters(cmd, default_status)
    terms = text.tokenize(cmd.q)
    if cmd.q.strip() and not terms:
        return {"items": [], "next_cursor": ""}
    if terms:
        query["terms"] = {"$in": terms}
    docs = await uow.achievements.candidates(query, MAX_CANDIDATES)  # a query: read outside any transaction
    ranked = ranking.rank(terms, docs)
    page = ranked[offset: offset + page_size]
    items = [{"achievement": disclosure.seen_by(_ADAPTER.validate_python(d), cmd.actor),
              "score": s.score, "matched_terms": s.matched, "reason": s.reason} for d, s in page]
    more = offset + page_size < len(ranked)
    cursor = base64.urlsafe_b64encode(str(offset + page_size).encode()).decode() if more else ""
    return {"items": items, "next_cursor": cursor}


async def search_achievements(cmd: commands.SearchAchievements, uow, deps: Deps) -> dict:
    return await _run(cmd, uow, [s.value for s in model.PUBLIC], need_required=False)


async def match_need(cmd: commands.MatchNeed, uow, deps: Deps) -> dict:
    return await _run(cmd, uow, [model.Status.REGISTERED.value], need_required=True)
