"""Relevance (pure) and search / match on a small Chinese + English corpus on the platform."""

import uuid

import pytest

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc
from services.common.identity import Principal
from services.registry.domain import ranking, text
from tests.support.identity import bearer, signed

CORPUS = {  # key: (title, keywords, abstract, type, trl, transfer modes)
    "A": ("低功耗5G射频芯片", ["射频", "芯片"], "面向基站的芯片设计", "patent", 6, ["licence"]),
    "B": ("锂电池管理系统", ["电池", "储能"], "适用于新能源汽车的芯片", "software", 7, ["transfer"]),
    "C": ("Low-power RF chip for IoT", ["rf", "chip"], "Low-power radio front end", "patent", 5, ["licence"]),
    "D": ("Water purification membrane", ["membrane"], "A chip-free filter", "material", 8, ["equity"]),
}


def test_tokenizer_segments_chinese_and_lowercases_english():
    assert text.tokenize("低功耗5G射频芯片") == ["功耗", "低功耗", "5g", "射频", "芯片"]
    assert text.tokenize("Low-power RF chip for IoT") == ["low", "power", "rf", "chip", "iot"]
    assert text.tokenize("需要一种芯片") == ["芯片"]  # stop words dropped


def test_score_weights_title_keywords_abstract():
    terms = text.index_terms(*CORPUS["A"][:3])
    s = ranking.score(["rf", "芯片"], terms)
    assert s.score == 6.0 and s.matched == ["芯片"]
    assert s.reason == "title: 芯片; keywords: 芯片; abstract: 芯片"


@pytest.fixture(scope="module")
async def corpus(platform):
    org = f"org-corpus-{uuid.uuid4().hex[:6]}"
    me = signed(Principal(f"u-{org}", org, "BEIJING", frozenset({"institution"})))
    op = signed(Principal("op-s", "platform", "BEIJING", frozenset({"operator"})))
    import grpc
    ids = {}
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        for key, (title, kws, abstract, typ, trl, modes) in CORPUS.items():
            a = await stub.DraftAchievement(pb.DraftAchievementRequest(
                title=title, keywords=kws, abstract=abstract, field="5g", type=typ, trl=trl,
                transfer_modes=modes, submit=True), metadata=me)
            await stub.ApproveAchievement(pb.ReviewRequest(achievement_id=a.achievement_id), metadata=op)
            ids[key] = a.achievement_id
        platform.clock.advance(days=31)
        await stub.ConcludeNotices(pb.ConcludeNoticesRequest(), metadata=op)
    return org, {v: k for k, v in ids.items()}


async def _search(api, org, names, **params):
    r = await api.get("/api/v1/achievements", params={"organisation": org, **params})
    assert r.status_code == 200, r.text
    return [names[i["achievement"]["achievement_id"]] for i in r.json()["items"]], r.json()


@pytest.mark.parametrize("q, expected", [("射频芯片", ["A", "B"]), ("low-power rf chip", ["C", "D"]),
                                         ("RF 芯片", ["A", "C", "B"]), ("", ["D", "B", "A", "C"])])
async def test_search_order(api, corpus, q, expected):
    org, names = corpus
    assert (await _search(api, org, names, q=q))[0] == expected


async def test_search_filters_and_cursor(api, corpus):
    org, names = corpus
    assert (await _search(api, org, names, type="patent"))[0] == ["A", "C"]
    assert (await _search(api, org, names, trl_min=6, trl_max=7))[0] == ["B", "A"]
    assert (await _search(api, org, names, transfer_mode="equity"))[0] == ["D"]
    seen, cursor = [], ""
    while True:
        page, body = await _search(api, org, names, q="RF 芯片", page_size=1, cursor=cursor)
        seen += page
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == ["A", "C", "B"]
    r = await api.get("/api/v1/achievements", params={"region": "MARS"})
    assert r.status_code == 400 and r.json()["field"] == "region"


async def test_match_need_ranks_with_reasons(api, corpus):
    org, names = corpus
    enterprise = bearer("ent-m", "org-ent-m", "TIANJIN", "enterprise")
    r = await api.post("/api/v1/achievements/match", json={"need": "需要低功耗芯片", "organisation": org},
                       headers=enterprise)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [names[i["achievement"]["achievement_id"]] for i in items] == ["A", "B"]
    assert [i["score"] for i in items] == [12.0, 1.0]
    assert items[0]["reason"] == "title: 功耗, 低功耗, 芯片; keywords: 芯片; abstract: 芯片"
    assert items[1]["matched_terms"] == ["芯片"]
    r = await api.post("/api/v1/achievements/match", json={"need": "need", "organisation": org, "x": 1},
                       headers=enterprise)
    assert r.status_code == 422 and r.json()["field"] == "x"
