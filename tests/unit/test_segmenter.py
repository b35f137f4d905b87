"""The mapped dictionary (services/common/segmenter.py) segments exactly as plain jieba does, and a
process whose dictionary files are missing or stale fails with the command that builds them."""

import json
import random
import shutil
from pathlib import Path

import jieba
import pytest

from services.common import segmenter

ROOT = Path(__file__).resolve().parents[2]
CORPUS = [ROOT / "services" / "demo" / "data.py", ROOT / "README.md", ROOT / "docs" / "registry.md",
          ROOT / "docs" / "procurement.md", ROOT / "docs" / "incubation.md"]
SAMPLES = ["京津冀科技成果转化新技术新产品首台套装备", "基于深度学习的锂电池健康状态评估方法 and 5G edge computing",
           "北京市促进科技成果转化条例（2019年修订）第十二条", "", "   ", "ＡＢＣ全角字符１２３",
           "😀表情符号与\x00控制字符"]


def _texts() -> list[str]:
    return [line for path in CORPUS for line in path.read_text(encoding="utf-8").splitlines()] + SAMPLES


@pytest.fixture(scope="module")
def plain():
    """jieba as it comes, its dictionary read from its own dict.txt (not from a cache file that
    another jieba on the machine may have left in the temporary directory)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    return tokenizer


def test_tokens_are_plain_jiebas_over_the_repositorys_text(plain):
    texts = _texts()
    assert sum(map(len, texts)) > 50_000
    assert [segmenter.cut_for_search(t) for t in texts] == [list(plain.cut_for_search(t)) for t in texts]


WORDS = ["科技", "成果", "转化", "科技成果转化", "京津冀", "协同", "创新", "首台套", "新技术", "新产品", "孵化器",
         "绿色通道", "锂电池", "人工智能", "研究院", "有限公司", "了", "的", " ", "AI", "5G"]


def _random_text(rng: random.Random) -> str:
    """Dictionary words, random CJK characters and any characters, mixed (a seeded generator: the
    same texts every run, and no global random state shared with the suite's background threads)."""
    parts = [rng.choice(WORDS) if kind == 0 else chr(rng.randint(0x4E00, 0x9FFF)) if kind == 1
             else chr(rng.randint(0x20, 0x2FFFF)) for kind in (rng.randrange(3) for _ in range(rng.randrange(40)))]
    return "".join(p for p in parts if not 0xD800 <= ord(p[0]) <= 0xDFFF)


def test_tokens_are_plain_jiebas_for_mixed_texts(plain):
    rng = random.Random(20261207)
    texts = [_random_text(rng) for _ in range(300)]
    assert [segmenter.cut_for_search(t) for t in texts] == [list(plain.cut_for_search(t)) for t in texts]


def test_the_mapped_dictionary_holds_jiebas_words_prefixes_and_total(plain):
    mapped = segmenter.tokenizer()
    assert (len(mapped.FREQ), mapped.total) == (len(plain.FREQ), plain.total)
    for key in ("科技成果", "科技成", "转化", "京津冀", "不在词典里的词"):
        assert (key in mapped.FREQ, mapped.FREQ.get(key)) == (key in plain.FREQ, plain.FREQ.get(key))


def test_missing_files_fail_with_the_build_command(tmp_path):
    with pytest.raises(RuntimeError, match=rf"in {tmp_path} is missing .*segmenter\.py {tmp_path}"):
        segmenter.tokenizer(tmp_path)
    shutil.copytree(segmenter.DICT_DIR, tmp_path, dirs_exist_ok=True)
    (tmp_path / segmenter.WORDS).unlink()
    with pytest.raises(RuntimeError, match=r"is missing \(words\.marisa\)"):
        segmenter.tokenizer(tmp_path)


@pytest.mark.parametrize("damage", ["truncated counts", "empty counts", "trie not a trie", "meta not json"])
def test_damaged_files_fail_with_the_build_command(tmp_path, damage):
    shutil.copytree(segmenter.DICT_DIR, tmp_path, dirs_exist_ok=True)
    name, content = {"truncated counts": (segmenter.FREQUENCIES, (segmenter.DICT_DIR / segmenter.FREQUENCIES)
                                          .read_bytes()[:-4]),
                     "empty counts": (segmenter.FREQUENCIES, b""), "trie not a trie": (segmenter.WORDS, b"x" * 64),
                     "meta not json": (segmenter.META, b"{")}[damage]
    (tmp_path / name).write_bytes(content)
    with pytest.raises(RuntimeError, match=r"is damaged .*segmenter\.py"):
        segmenter.tokenizer(tmp_path)


def test_a_rebuild_replaces_the_files_a_process_has_mapped(tmp_path, monkeypatch):
    shutil.copytree(segmenter.DICT_DIR, tmp_path, dirs_exist_ok=True)
    mapped = segmenter.tokenizer(tmp_path)
    before = segmenter.cut_for_search("京津冀科技成果转化")
    monkeypatch.setattr(segmenter, "_source", lambda: "京津冀 3 ns\n转化 5 v\n".encode())   # a small dict.txt
    segmenter.build(tmp_path)   # a new inode per file: the mapped pages stay valid
    assert list(mapped.cut_for_search("京津冀科技成果转化")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([segmenter.META, segmenter.WORDS,
                                                                 segmenter.FREQUENCIES])


def test_files_built_from_another_dictionary_are_refused(tmp_path):
    shutil.copytree(segmenter.DICT_DIR, tmp_path, dirs_exist_ok=True)
    meta = json.loads((tmp_path / segmenter.META).read_text())
    (tmp_path / segmenter.META).write_text(json.dumps(meta | {"dict_sha256": "0" * 64}))
    with pytest.raises(RuntimeError, match="another jieba dictionary"):
        segmenter.tokenizer(tmp_path)
