"""Text segmentation for search (Chinese with jieba, English by words), lowercased.
jieba's dictionary is mapped once per process, on first use (services/common/segmenter.py)."""

import re

from services.common.segmenter import cut_for_search

_WORD = re.compile(r"[0-9a-z\u4e00-\u9fff]")
STOP = {"the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "with", "by", "is", "are", "we", "our",
        "need", "needs", "looking", "that", "this", "from", "as", "at", "be", "it", "its",
        "的", "了", "和", "与", "及", "或", "在", "是", "用于", "一种", "需要", "我们", "寻找", "基于", "面向", "等"}


def tokenize(value: str) -> list[str]:
    """Distinct search terms of a text, in first-seen order."""
    if not value:
        return []
    seen: dict[str, None] = {}
    for token in cut_for_search(value.lower()):
        token = token.strip()
        if token and token not in STOP and _WORD.search(token):
            seen.setdefault(token, None)
    return list(seen)


def index_terms(title: str, keywords: list[str], abstract: str) -> dict[str, list[str]]:
    return {"title": tokenize(title), "keywords": tokenize(" ".join(keywords)), "abstract": tokenize(abstract)}
