"""The platform under test: every service started through its own composition root, on
free ports, inside the test event loop, sharing one controllable clock."""

import asyncio
import contextlib

from services import devinfra
from services.common import service
from services.gateway import app as gateway_app
from services.gateway.settings import GatewaySettings
from services.incubation.spec import SPEC as incubation
from services.procurement.spec import SPEC as procurement
from services.registry.spec import SPEC as registry

SERVICES = {"registry": registry, "procurement": procurement, "incubation": incubation}


class Platform:
    def __init__(self, kafka: str, mongo: dict[str, str], clock):
        self.kafka, self.mongo, self.clock = kafka, mongo, clock
        self.ports = {name: devinfra.free_port() for name in [*SERVICES, "gateway"]}
        self.stop_event = asyncio.Event()
        self.hosts: dict = {}
        self.tasks: list[asyncio.Task] = []

    def env(self, name: str) -> dict:
        addrs = {f"{n}_addr": f"127.0.0.1:{self.ports[n]}" for n in SERVICES}
        kafka = {"bootstrap_servers": self.kafka, "session_timeout_seconds": 3.0, "heartbeat_seconds": 1.0}
        return {"service_name": name, "grpc_port": self.ports.get(name, 0), "outbox_poll_seconds": 0.2,
                "kafka": kafka, "mongo": {"uri": self.mongo[name]}, **addrs}

    def settings(self, name: str):
        return SERVICES[name].settings(**self.env(name))

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    async def start(self) -> None:
        for name, spec in SERVICES.items():
            ready = asyncio.Event()

            def on_ready(host, name=name, ready=ready):
                self.hosts[name] = host
                ready.set()

            task = asyncio.create_task(service.serve_api(spec, self.settings(name), self.clock, self.stop_event,
                                                         on_ready))
            self.tasks.append(task)
            await asyncio.wait({task, asyncio.create_task(ready.wait())}, return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                task.result()
        for name, spec in SERVICES.items():  # stream workers (faust timers and agents)
            self.tasks.append(asyncio.create_task(
                service.serve_worker(spec, self.settings(name), self.clock, self.stop_event)))
        gw = GatewaySettings(**self.env("gateway"), http_port=self.ports["gateway"],
                             webhook_allow_private_networks=True)   # the tests' receivers are on loopback
        self.tasks.append(asyncio.create_task(gateway_app.serve(gw, self.stop_event)))
        await asyncio.to_thread(devinfra.wait_for_port, self.ports["gateway"])

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), 60)


@contextlib.asynccontextmanager
async def second_gateway(platform: Platform, **overrides):
    """Another gateway process-in-the-loop in front of the same services, with its own settings
    (`overrides` replace the platform's, e.g. limits or its own `mongo`); yields its URL."""
    port = devinfra.free_port()
    settings = GatewaySettings(**{**platform.env("gateway"), **overrides}, http_port=port, delivery_in_process=False)
    stop = asyncio.Event()
    task = asyncio.create_task(gateway_app.serve(settings, stop))
    await asyncio.to_thread(devinfra.wait_for_port, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        await task
