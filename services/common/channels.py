"""gRPC client channels to a peer service, balanced on the client across its replicas.

A target is any gRPC name: `host:port` (one address), `dns:///svc-headless.ns.svc:50051`
(every pod behind a headless Service), or `ipv4:127.0.0.1:1,127.0.0.1:2` (a fixed list).
`round_robin` opens a subchannel per resolved address and spreads calls over them; the
servers close connections after `MAX_CONNECTION_AGE_MS` (services.common.grpc_server), so
clients re-resolve and pods that an autoscaler adds start receiving calls."""

import json

import grpc

SERVICE_CONFIG = json.dumps({"loadBalancingConfig": [{"round_robin": {}}]})
OPTIONS = [
    ("grpc.service_config", SERVICE_CONFIG),
    ("grpc.dns_min_time_between_resolutions_ms", 5_000),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.max_receive_message_length", 4 * 1024 * 1024),
]


def open_channel(target: str) -> grpc.aio.Channel:
    """A lazily connecting channel to `target` (nothing connects until the first call)."""
    return grpc.aio.insecure_channel(target, options=OPTIONS)
