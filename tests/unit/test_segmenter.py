"""The mapped dictionary (services/common/segmenter.py) segments exactly as plain jieba does, and a
process whose dictionary files are missing or stale fails with the command that builds them."""

import json
import shutil
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.common import segmenter

ROOT = Path(__file__).resolve().parents[2]
CORPUS = [ROOT / "services" / "demo" / "data.py", ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SAMPLES = ["京津冀科技成果转化新技术新产品首台套装备", "基于深度学习的锂电池健康状态评估方法 and 5G edge computing",
           "北京市促进科技成果转化条例（2019年修订）第十二条", "", "   ", "ＡＢＣ全角字符１２３",
           "😀表情符号与\x00控制字符"]


def _texts() -> list[str]:
    return [line for path in CORPUS for line in path.read_text(encoding="utf-8").splitlines()] + SAMPLES


@pytest.fixture(scope="module")
def plain():
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def test_tokens_are_plain_jiebas_over_the_repositorys_text(plain):
    texts = _texts()
    assert sum(map(len, texts)) > 100_000
    assert [segmenter.cut_for_search(t) for t in texts] == [list(plain.cut_for_search(t)) for t in texts]


WORDS = st.sampled_from(["科技", "成果", "转化", "科技成果转化", "京津冀", "协同", "创新", "首台套", "新技术", "新产品",
                         "孵化器", "绿色通道", "锂电池", "人工智能", "研究院", "有限公司", "了", "的", " ", "AI", "5G"])
TEXT = st.lists(st.one_of(WORDS, st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), st.characters()),
                max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_tokens_are_plain_jiebas_for_any_text(plain, text):
    assert segmenter.cut_for_search(text) == list(plain.cut_for_search(text))


def test_the_mapped_dictionary_holds_jiebas_words_prefixes_and_total(plain):
    mapped = segmenter.tokenizer()
    assert (len(mapped.FREQ), mapped.total) == (len(plain.FREQ), plain.total)
    for key in ("科技成果", "科技成", "转化", "京津冀", "不在词典里的词"):
        assert (key in mapped.FREQ, mapped.FREQ.get(key)) == (key in plain.FREQ, plain.FREQ.get(key))


def test_missing_files_fail_with_the_build_command(tmp_path):
    with pytest.raises(RuntimeError, match=r"is missing .*segmenter\.py"):
        segmenter.tokenizer(tmp_path)


def test_files_built_from_another_dictionary_are_refused(tmp_path):
    shutil.copytree(segmenter.DICT_DIR, tmp_path, dirs_exist_ok=True)
    meta = json.loads((tmp_path / segmenter.META).read_text())
    (tmp_path / segmenter.META).write_text(json.dumps(meta | {"dict_sha256": "0" * 64}))
    with pytest.raises(RuntimeError, match="another jieba dictionary"):
        segmenter.tokenizer(tmp_path)
