"""jieba's word segmentation, with its dictionary as a memory-mapped trie instead of a dict.

jieba keeps its dictionary (349,046 words and every prefix of them: 498,113 keys) as a dict of
Python strings, about 57 MB in every process that segments text. The same keys in a marisa-trie
(1.3 MB) with their frequencies in an array (2 MB) are mapped read-only from files, so the
processes of one machine share the pages. The segmentation itself is jieba's own code (its
`Tokenizer`, whose `FREQ` this replaces), so the tokens are the same: tests/unit/test_segmenter.py
compares them with plain jieba over the action plan's text.

The files are built by the build from jieba's own dict.txt (`make proto`, the image's builder):
    python services/common/segmenter.py gen/jieba_dict
A process fails at start-up with that command in the message when they are missing or were built
from another jieba dictionary."""

import array
import hashlib
import json
import logging
import mmap
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
    trie.save(str(target / WORDS))
    (target / FREQUENCIES).write_bytes(table.tobytes())
    meta = {"total": total, "keys": len(trie), "dict_sha256": hashlib.sha256(source).hexdigest()}
    (target / META).write_text(json.dumps(meta))
    return meta


def _missing(why: str) -> RuntimeError:
    return RuntimeError(f"jieba's dictionary trie {why} ({DICT_DIR}); build it with "
                        f"`make proto` or `python services/common/segmenter.py {DICT_DIR}`")


@cache
def tokenizer(directory: Path = DICT_DIR) -> jieba.Tokenizer:
    """A jieba tokenizer on the mapped files; once per process."""
    try:
        meta = json.loads((directory / META).read_text())
        words = Frequencies()
        words.mmap(str(directory / WORDS))
        with open(directory / FREQUENCIES, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise _missing("is missing") from None
    if meta["dict_sha256"] != hashlib.sha256(_source()).hexdigest() or len(words) != meta["keys"]:
        raise _missing("was built from another jieba dictionary")
    words.counts = memoryview(mapped).cast("I")
    segmenter = jieba.Tokenizer()
    segmenter.FREQ, segmenter.total, segmenter.initialized = words, meta["total"], True
    return segmenter


def cut_for_search(text: str) -> list[str]:
    """jieba's search-engine mode: the words, and the shorter dictionary words inside long ones."""
    return list(tokenizer().cut_for_search(text)) if text else []


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
