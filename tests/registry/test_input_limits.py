"""Issue 12 items 2 and 9, at the root (the registry's domain, so a caller that reaches the
service past the gateway meets the same limits): a keyword is a term of at most 50 characters
(one request of 20 keywords of 40,000 characters used to keep the word segmenter busy ~17 s);
amounts are finite, at most 2 decimals and at most a trillion yuan (statistics add int64
cents); a contract's seller region is the seller organisation's."""

import time
import uuid

import grpc
import pytest

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc
from services.common.errors import InvalidInput
from services.common.identity import Principal
from tests.registry.test_contract_domain import new
from tests.support.identity import bearer, signed

_contract = new   # a TIANJIN seller's contract (tests/registry/test_contract_domain.py)


@pytest.mark.parametrize("amount", ["1e400", "1e20", "1000000000000.01", "NaN", "Infinity", "-1", "1.001", "x"])
def test_absurd_contract_amounts_are_refused_naming_the_amount(amount):
    with pytest.raises(InvalidInput) as refused:
        _contract(amount=amount)
    assert refused.value.field == "amount"


def test_the_ceiling_itself_and_zero_are_amounts():
    assert _contract(amount="1000000000000").amount == "1000000000000.00"
    assert _contract(amount="0").amount == "0.00"


def test_the_seller_region_is_the_seller_organisations():
    with pytest.raises(InvalidInput) as refused:
        _contract(seller={"region": "BEIJING"})          # a TIANJIN organisation selling "from Beijing"
    assert refused.value.field == "seller.region"
    assert _contract(seller={"region": "TIANJIN"}).seller.region == "TIANJIN"


async def test_huge_keywords_are_refused_at_once_through_rest_and_grpc(api, platform):
    owner = bearer(f"u-{uuid.uuid4().hex[:6]}", f"org-{uuid.uuid4().hex[:6]}", "BEIJING", "institution")
    body = {"title": f"关键词上限 {uuid.uuid4().hex[:6]}", "field": "5g", "type": "patent", "trl": 5,
            "keywords": ["射频芯片" * 3_750] * 20}   # 900 KB: under the body limit
    started = time.monotonic()
    r = await api.post("/api/v1/achievements", json=body, headers=owner)
    assert r.status_code == 422 and r.json()["field"].startswith("keywords"), r.text
    long_one = await api.post("/api/v1/achievements", json={**body, "keywords": ["5" * 51]}, headers=owner)
    assert long_one.status_code == 422 and long_one.json()["field"].startswith("keywords")
    principal = Principal("u-g", "org-g", "BEIJING", frozenset({"institution"}))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.DraftAchievement(pb.DraftAchievementRequest(
                title=body["title"], field="5g", type="patent", trl=5, keywords=["射频芯片" * 5_000] * 20),
                metadata=signed(principal), timeout=5)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert dict(refused.value.trailing_metadata())["x-bth-field"] == "keywords"
    assert time.monotonic() - started < 5   # refused before any segmentation (it took ~17 s)
    ok = await api.post("/api/v1/achievements", json={**body, "keywords": ["5G", "射频"]}, headers=owner)
    assert ok.status_code == 201 and ok.json()["keywords"] == ["5G", "射频"]
