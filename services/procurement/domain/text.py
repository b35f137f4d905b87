"""Search tokens: jieba segments Chinese (MongoDB's $text does not); Latin words lower-cased."""

from services.common.segmenter import cut_for_search

STOP = {"的", "和", "与", "及", "或", "a", "an", "the", "of", "and", "for", "to", "in", "with"}


def tokens(*texts: str) -> list[str]:
    found: set[str] = set()
    for text in texts:
        for tok in cut_for_search(text or ""):
            tok = tok.strip().lower()
            if tok and tok not in STOP and any(ch.isalnum() for ch in tok):
                found.add(tok)
    return sorted(found)
