"""jieba's word segmentation, with its dictionary as a memory-mapped trie instead of a dict.

jieba keeps its dictionary (349,046 words and every prefix of them: 498,113 keys) as a dict of
Python strings, about 57 MB in every process that segments text. The same keys in a marisa-trie
(1.3 MB) with their frequencies in an array (2 MB) are mapped read-only from files, so the
processes of one machine share the pages. The segmentation itself is jieba's own code (its
`Tokenizer`, whose `FREQ` this replaces), so the tokens are the same: tests/unit/test_segmenter.py
compares them with plain jieba over the repository's text and 300 mixed texts. The mapped
dictionary is read-only: jieba's `add_word`, `load_userdict` and `suggest_freq(tune=True)` fail.

The files are built by the build from jieba's own dict.txt (`make proto`, the image's builder):
    python services/common/segmenter.py gen/jieba_dict
(written beside and renamed into place, so processes mapping the old files keep them). Mapping
them fails with that command in the message when they are missing, damaged or built from another
jieba dictionary: the API processes map them before they serve, the workers at their first use."""

import array
import hashlib
import json
import logging
import mmap
import os
import sys
from functools import cache
from pathlib import Path

import jieba
import marisa_trie

DICT_DIR = Path(__file__).resolve().parents[2] / "gen" / "jieba_dict"
WORDS, FREQUENCIES, META = "words.marisa", "frequencies.u32", "meta.json"

jieba.setLogLevel(logging.WARNING)


class Frequencies(marisa_trie.Trie):
    """What jieba reads of its dict: `key in FREQ` (a word or a word's prefix), `FREQ[key]` and
    `FREQ.get(key)`, 0 for a prefix that is not a word itself (as jieba stores them)."""

    counts: memoryview

    def __getitem__(self, key: str) -> int:
        return self.counts[self.key_id(key)]

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        found = marisa_trie.Trie.get(self, key)
        return default if found is None else self.counts[found]


def _source() -> bytes:
    with jieba.get_module_res(jieba.DEFAULT_DICT_NAME) as f:
        return f.read()


def build(target: Path) -> dict:
    """Parse dict.txt as jieba does (`Tokenizer.gen_pfdict`: the last count of a word wins, the
    total counts every line) and write the trie, the counts and meta.json into `target`."""
    source = _source()
    counts: dict[str, int] = {}
    total = 0
    for line in source.splitlines():
        word, count = line.strip().decode("utf-8").split(" ")[:2]
        counts[word] = int(count)
        total += int(count)
        for end in range(1, len(word)):
            counts.setdefault(word[:end], 0)
    trie = marisa_trie.Trie(counts.keys())
    table = array.array("I", bytes(4 * len(trie)))
    for key, count in counts.items():
        table[trie.key_id(key)] = count
    target.mkdir(parents=True, exist_ok=True)
    meta = {"total": total, "keys": len(trie), "dict_sha256": hashlib.sha256(source).hexdigest()}
    trie.save(str(target / f"{WORDS}.new"))
    (target / f"{FREQUENCIES}.new").write_bytes(table.tobytes())
    (target / f"{META}.new").write_text(json.dumps(meta))
    for name in (WORDS, FREQUENCIES, META):   # a mapped file is replaced, never truncated
        os.replace(target / f"{name}.new", target / name)
    return meta


def _unusable(directory: Path, why: str) -> RuntimeError:
    return RuntimeError(f"jieba's dictionary trie in {directory} {why}; build it with "
                        f"`make proto` or `python services/common/segmenter.py {directory}`")


@cache
def tokenizer(directory: Path = DICT_DIR) -> jieba.Tokenizer:
    """A jieba tokenizer on the mapped files; once per process."""
    if missing := [name for name in (META, WORDS, FREQUENCIES) if not (directory / name).is_file()]:
        raise _unusable(directory, f"is missing ({', '.join(missing)})")
    try:
        meta = json.loads((directory / META).read_text())
        total, keys, digest = int(meta["total"]), int(meta["keys"]), meta["dict_sha256"]
        words = Frequencies()
        words.mmap(str(directory / WORDS))
        with open(directory / FREQUENCIES, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, RuntimeError, KeyError, TypeError, ValueError) as exc:   # marisa: RuntimeError
        raise _unusable(directory, f"is damaged ({type(exc).__name__}: {exc})") from None
    if digest != hashlib.sha256(_source()).hexdigest():
        raise _unusable(directory, "was built from another jieba dictionary")
    if not len(words) == keys == len(mapped) // 4:
        raise _unusable(directory, f"is damaged ({len(words)} words and {len(mapped) // 4} counts, not {keys})")
    words.counts = memoryview(mapped).cast("I")
    segmenter = jieba.Tokenizer()
    segmenter.FREQ, segmenter.total, segmenter.initialized = words, total, True
    return segmenter


def cut_for_search(text: str) -> list[str]:
    """jieba's search-engine mode: the words, and the shorter dictionary words inside long ones."""
    return list(tokenizer().cut_for_search(text)) if text else []


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
