"""Search and "match my need": the search index (adapters/search_index.py) ranks exactly over the
postings of the query's jieba terms with the filters applied (ranking.py's order); a search
without terms lists by TRL. The cursor is the offset; a page reads the best offset + size + 1."""

import base64

from pydantic import TypeAdapter

from services.common.errors import InvalidInput, require
from services.registry.domain import commands, disclosure, model, ranking, taxonomy, text
from services.registry.service_layer.deps import Deps

_ADAPTER = TypeAdapter(model.Achievement)
_UNSCORED = ranking.Scored(0.0, [], "")
MAX_OFFSET = 10_000   # deep paging past this is refused (a page reads offset + size postings' worth)


def _cursor(value: str) -> int:
    if not value:
        return 0
    try:
        offset = int(base64.urlsafe_b64decode(value.encode()).decode())
    except ValueError:
        raise InvalidInput("cursor is not one this API returned", "cursor") from None
    require(0 <= offset <= MAX_OFFSET, f"cursor is past the {MAX_OFFSET:,}th result", "cursor")
    return offset


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
    # queries: read outside any transaction
    if terms:
        page = (await uow.achievements.ranked(terms, query, offset + page_size + 1))[offset:]
    else:
        page = [(d, _UNSCORED) for d in await uow.achievements.by_trl(query, offset, page_size + 1)]
    more = len(page) > page_size
    items = [{"achievement": disclosure.seen_by(_ADAPTER.validate_python(d), cmd.actor),
              "score": s.score, "matched_terms": s.matched, "reason": s.reason} for d, s in page[:page_size]]
    cursor = base64.urlsafe_b64encode(str(offset + page_size).encode()).decode() if more else ""
    return {"items": items, "next_cursor": cursor}


async def search_achievements(cmd: commands.SearchAchievements, uow, deps: Deps) -> dict:
    return await _run(cmd, uow, [s.value for s in model.PUBLIC], need_required=False)


async def match_need(cmd: commands.MatchNeed, uow, deps: Deps) -> dict:
    return await _run(cmd, uow, [model.Status.REGISTERED.value], need_required=True)
