"""Relevance of an achievement to a query or a stated need (pure).

score = Σ over distinct query terms t of  3·[t in title] + 2·[t in keywords] + 1·[t in abstract]
Ties: higher TRL first, then achievement id. The reason lists the matched terms per field."""

from dataclasses import dataclass

WEIGHTS = {"title": 3.0, "keywords": 2.0, "abstract": 1.0}


@dataclass(frozen=True)
class Scored:
    score: float
    matched: list[str]
    reason: str


def score(query_terms: list[str], search_terms: dict[str, list[str]]) -> Scored:
    total, matched, parts = 0.0, [], []
    for field, weight in WEIGHTS.items():
        present = set(search_terms.get(field, []))
        hits = [t for t in query_terms if t in present]
        total += weight * len(hits)
        if hits:
            parts.append(f"{field}: {', '.join(hits)}")
        matched += [t for t in hits if t not in matched]
    return Scored(total, matched, "; ".join(parts))


def term_weights(search_terms: dict[str, list[str]]) -> dict[str, float]:
    """Each indexed term's contribution to the score of a query containing it (what the index stores)."""
    weights: dict[str, float] = {}
    for field, weight in WEIGHTS.items():
        for t in set(search_terms.get(field, [])):
            weights[t] = weights.get(t, 0.0) + weight
    return weights


def rank(query_terms: list[str], docs: list[dict]) -> list[tuple[dict, Scored]]:
    """docs carry search_terms, trl, achievement_id; without query terms all score 0."""
    scored = [(d, score(query_terms, d.get("search_terms", {}))) for d in docs]
    if query_terms:
        scored = [(d, s) for d, s in scored if s.score > 0]
    return sorted(scored, key=lambda p: (-p[1].score, -int(p[0].get("trl", 0)), p[0]["achievement_id"]))
