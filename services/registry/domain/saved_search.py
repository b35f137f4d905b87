"""Saved searches (pure): a user or partner saves a query (text + the search filters); when an
achievement becomes REGISTERED and matches, the saved search records SavedSearchMatched.
A match: every given filter equals the achievement's value (trl within the bounds) and, when
the query has text, at least one query term is in its title, keywords or abstract."""

from dataclasses import dataclass
from datetime import datetime

from services.common.aggregate import Aggregate, Event
from services.common.errors import Forbidden, NotFound, TransitionRefused, require
from services.common.identity import Principal
from services.common.plain import to_plain
from services.registry.domain import ranking, taxonomy, text


@dataclass
class SavedSearchEvent(Event):
    saved_search_id: str
    saved_search: dict
    actor: str
    owner: str


class SavedSearchCreated(SavedSearchEvent): ...
class SavedSearchDeleted(SavedSearchEvent): ...


@dataclass
class SavedSearchMatched(SavedSearchEvent):
    achievement_id: str = ""
    matched_terms: list[str] | None = None
    registration_number: str = ""
    title: str = ""


@dataclass
class SavedQuery:
    q: str = ""
    field: str = ""
    region: str = ""
    type: str = ""
    trl_min: int = 0
    trl_max: int = 0
    transfer_mode: str = ""
    organisation: str = ""


def validate_query(q: SavedQuery) -> None:
    require(len(q.q) <= 2000, "q is at most 2000 characters", "query.q")
    for name, allowed in (("field", taxonomy.FIELDS), ("region", taxonomy.REGIONS), ("type", taxonomy.TYPES),
                          ("transfer_mode", taxonomy.TRANSFER_MODES)):
        value = getattr(q, name)
        require(not value or value in allowed, f"unknown {name} {value!r}", f"query.{name}")
    require(0 <= q.trl_min <= 9, "trl_min must be between 1 and 9", "query.trl_min")
    require(0 <= q.trl_max <= 9, "trl_max must be between 1 and 9", "query.trl_max")
    require(any(v for k, v in to_plain(q).items()), "a saved search needs text or at least one filter", "query")


def match(q: SavedQuery, achievement: dict, search_terms: dict[str, list[str]]) -> list[str] | None:
    """The matched query terms ([] for a filters-only query), or None when it does not match."""
    for name, key in (("field", "field"), ("region", "region"), ("type", "type"), ("organisation", "organisation")):
        if getattr(q, name) and getattr(q, name) != str(achievement.get(key, "")):
            return None
    if q.transfer_mode and q.transfer_mode not in achievement.get("transfer_modes", []):
        return None
    trl = int(achievement.get("trl", 0))
    if (q.trl_min and trl < q.trl_min) or (q.trl_max and trl > q.trl_max):
        return None
    if not q.q.strip():
        return []
    terms = text.tokenize(q.q)
    scored = ranking.score(terms, search_terms)
    return scored.matched if scored.score > 0 else None


@dataclass(kw_only=True)
class SavedSearch(Aggregate):
    saved_search_id: str
    owner: str
    organisation: str
    name: str
    query: SavedQuery
    created_at: datetime
    active: bool = True
    match_count: int = 0
    last_matched_at: datetime | None = None

    @property
    def entity_id(self) -> str:
        return self.saved_search_id

    def index_terms(self) -> list[str]:
        """The tokenised text of the query (the repository stores them to look candidates up)."""
        return text.tokenize(self.query.q)

    def check_owner(self, actor: Principal) -> None:
        if actor.subject != self.owner and not actor.has("operator"):
            raise NotFound(f"saved search {self.saved_search_id} does not exist", "saved_search_id")

    def delete(self, actor: Principal) -> None:
        self.check_owner(actor)
        if not self.active:
            raise TransitionRefused(f"saved search {self.saved_search_id} is deleted already", "saved_search_id")
        self.active = False
        self.record_change(SavedSearchDeleted, actor.subject, self.owner)

    def matched(self, now: datetime, achievement: dict, terms: list[str]) -> None:
        self.match_count += 1
        self.last_matched_at = now
        self.record_change(SavedSearchMatched, "system", self.owner, achievement["achievement_id"], terms,
                           achievement.get("registration_number", ""), achievement.get("title", ""))


def create(saved_search_id: str, actor: Principal, now: datetime, name: str, query: SavedQuery) -> SavedSearch:
    if not actor.subject or actor.subject == "anonymous":
        raise Forbidden("sign in to save a search", "actor")
    require(0 < len(name.strip()) <= 200, "name is required (at most 200 characters)", "name")
    validate_query(query)
    s = SavedSearch(saved_search_id=saved_search_id, owner=actor.subject, organisation=actor.organisation,
                    name=name, query=query, created_at=now)
    s.record_change(SavedSearchCreated, actor.subject, actor.subject)
    return s


__all__ = ["SavedSearch", "SavedQuery", "create", "match", "NotFound"]
