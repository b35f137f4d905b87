"""The fault suite (make test-faults): steady writes through the gateway of a whole stack
while one fault is injected, then exact counts: every acknowledged write in the registry
exactly once, its submission in the feed exactly once and at the partner's webhook (one event,
redeliveries deduped by id), and afterwards every process ready, every consumer lag 0 and every
outbox drained. Prints one table row per fault (copied into docs/reliability.md)."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services import devinfra
from services.common import contracts
from services.common.envelope import Envelope
from services.common.kafka import dlq_topic
from services.common.settings import KafkaSettings
from tests.faults.stack import Stack, Writers, subscribe, verify
from tests.gateway.receiver import Receiver
from tests.support.tcpproxy import TcpProxy

ROWS: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def table():
    yield
    print("\n| fault | acknowledged | lost | duplicated | partner lost | partner duplicated | time to converge "
          "| healthy after (ready, lag 0, outbox drained) | client errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(ROWS))


@pytest.fixture
async def stack(tmp_path, request):
    """A fresh stack per fault (a row never inherits the previous one's damage), with a partner
    receiving AchievementSubmitted by webhook; `split` (indirect parameter): the processes apart
    as the chart runs them; `proxied`: the broker behind a cuttable TCP proxy."""
    options = getattr(request, "param", {})
    s = Stack(tmp_path, split=options.get("split", False))
    s.proxy = None
    if options.get("proxied"):
        listen = devinfra.free_port()
        s.ports["kafka-listen"] = listen
        s.proxy = TcpProxy(s.ports["kafka"], listen)
        await s.proxy.start()
    await asyncio.to_thread(s.start)
    s.receiver = await Receiver().start()
    await subscribe(s, s.receiver.url)
    yield s
    await s.receiver.stop()
    await asyncio.to_thread(s.stop)
    if s.proxy:
        await s.proxy.cut()


async def _row(stack: Stack, fault: str, inject) -> dict:
    writers = Writers(stack.url)
    task = asyncio.create_task(writers.run())
    await asyncio.sleep(3)        # steady load before the fault
    await (inject() if asyncio.iscoroutinefunction(inject) else asyncio.to_thread(inject))
    await asyncio.sleep(3)        # and after it
    writers.stop.set()
    await task
    result = await verify(stack, writers, stack.receiver)
    ROWS.append(f"| {fault} | {result['acknowledged']} | {result['lost']} | {result['duplicated']} | "
                f"{result['partner_lost']} | {result['partner_duplicated']} | "
                f"{result['converged_s']} s | {'yes' if not result['unhealthy'] else result['unhealthy'][:3]} | "
                f"{result['client_errors'] or 0} |")
    return result


def _exact(result: dict) -> bool:
    return result["acknowledged"] > 0 and not any(result[k] for k in (
        "lost", "duplicated", "partner_lost", "partner_duplicated", "unhealthy"))


@pytest.mark.faults
@pytest.mark.parametrize("process", ["registry", "gateway", "procurement", "incubation", "mongo-registry",
                                     "mongo-gateway", "kafka"])
async def test_a_process_sigkilled_and_restarted_alone(stack, process):
    label = "broker (in memory: loses what it held; the outboxes replay)" if process == "kafka" else process
    result = await _row(stack, f"{label} SIGKILLed, restarted", lambda: stack.kill_and_restart(process))
    assert _exact(result), str(result)


@pytest.mark.faults
@pytest.mark.parametrize("process", ["kafka", "mongo-registry", "mongo-gateway"])
async def test_a_paused_process_resumes(stack, process):
    result = await _row(stack, f"{process} paused 5 s (SIGSTOP/SIGCONT)", lambda: stack.pause(process, 5))
    assert _exact(result), str(result)


@pytest.mark.faults
async def test_the_whole_platform_stopped_and_started(stack):
    result = await _row(stack, "whole platform stopped and started (broker memory lost; outboxes replay)",
                        stack.stop_and_start)
    assert _exact(result), str(result)


@pytest.mark.faults
async def test_the_partner_receiver_down(stack):
    async def outage():
        stack.receiver.down = True
        await asyncio.sleep(8)
        stack.receiver.down = False
    result = await _row(stack, "partner receiver down 8 s (503)", outage)
    assert _exact(result), str(result)
    assert any(r["status"] == 503 for r in stack.receiver.requests)   # the outage was felt


def _poison_records() -> list[tuple[str, tuple]]:
    """Poison of each kind on every event topic: (topic, (key, value, headers))."""
    by_topic: dict[str, str] = {}
    for name, contract in sorted(contracts.catalogue().items()):
        by_topic.setdefault(contract.topic, name)
    records = []
    for topic, type_ in by_topic.items():
        tag = topic.split(".")[2]
        raw = (f"poison-raw-{tag}".encode(), b"\x00garbage", [])
        unknown = Envelope(id=f"poison-unknown-{tag}", type="bth.nope.v1.Unknown", source="/faults",
                           subject=f"poison-unknown-{tag}", time=datetime.now(UTC), data=b"").to_record()
        corrupt = Envelope(id=f"poison-corrupt-{tag}", type=type_, source="/faults", subject=f"poison-corrupt-{tag}",
                           time=datetime.now(UTC), data=b"\xff\xff\xff\xff").to_record()
        records += [(topic, raw), (topic, unknown), (topic, corrupt)]
    return records


async def _dead_letters(kafka: KafkaSettings) -> list:
    consumer = AIOKafkaConsumer(*(dlq_topic(s) for s in ("registry", "procurement", "incubation")),
                                group_id=f"faults-{uuid.uuid4().hex}", auto_offset_reset="earliest",
                                **kafka.client_options())
    await consumer.start()
    found: list = []
    try:
        quiet = 0
        while quiet < 4:   # until two seconds pass with nothing new
            batch = await consumer.getmany(timeout_ms=500)
            new = [r for rs in batch.values() for r in rs]
            found += new
            quiet = 0 if new else quiet + 1
    finally:
        await consumer.stop()
    return found


@pytest.mark.faults
async def test_poison_on_every_topic_is_dead_lettered_once_and_never_reaches_partners(stack):
    kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{stack.ports['kafka']}")
    poison = _poison_records()

    async def inject():
        producer = AIOKafkaProducer(acks="all", **kafka.client_options())
        await producer.start()
        try:
            for topic, (key, value, headers) in poison:
                await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        finally:
            await producer.stop()
    result = await _row(stack, f"poison: {len(poison)} records, 3 kinds on each of {len(poison) // 3} topics", inject)
    assert _exact(result), str(result)
    keys = {key.decode() for _, (key, _, _) in poison}
    feed = [d async for d in stack.mongo("gateway")["feed"].find({"key": {"$in": sorted(keys)}}, {"key": 1})]
    assert feed == []                                                     # no poison in the feed
    assert not [e for e in stack.receiver.accepted() if e["subject"] in keys]  # nor at the partner
    dead = await _dead_letters(kafka)
    letters = [(dict(r.headers)["dlq_group"].decode(), r.key.decode()) for r in dead]
    assert all(key in keys for _, key in letters)                         # nothing but poison
    assert len(letters) == len(set(letters))                             # each once per consumer group
    assert not [key for _, key in letters if key.startswith("poison-unknown-")]  # unknown types are skipped
    assert {key for _, key in letters} >= {"poison-raw-achievement", "poison-corrupt-achievement"}
    print(f"\ndead letters: {len(letters)} from {len({g for g, _ in letters})} consumer groups")


SPLIT = {"split": True}


@pytest.mark.faults
@pytest.mark.parametrize("stack", [SPLIT], indirect=True)
@pytest.mark.parametrize("process", ["registry-worker", "delivery", "registry"])
async def test_a_process_of_the_deployed_shape_sigkilled_and_restarted(stack, process):
    """API, worker and delivery apart, as the chart runs them (the gateway without delivery)."""
    result = await _row(stack, f"{process} SIGKILLed, restarted (processes apart, as deployed)",
                        lambda: stack.kill_and_restart(process))
    assert _exact(result), str(result)


@pytest.mark.faults
@pytest.mark.parametrize("stack", [{"proxied": True}], indirect=True)
async def test_the_broker_cut_off_and_back(stack):
    """Every connection to the broker dropped and refused for 8 s; the broker keeps its memory."""
    async def cut():
        await stack.proxy.cut()
        await asyncio.sleep(8)
        await stack.proxy.start()
    result = await _row(stack, "broker cut off 8 s (TCP proxy)", cut)
    assert _exact(result), str(result)
