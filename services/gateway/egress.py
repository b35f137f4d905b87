"""Where webhook deliveries may connect (SSRF). Every check is made on IP addresses, after
resolving the host the way the connection will (so `127.1`, `2130706433`, `0x7f000001`,
`0` and `[::ffff:127.0.0.1]` are all 127.0.0.1 or 0.0.0.0): refused are the platform's own
endpoints, and, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (development only), every
address that is not globally routable (loopback, private 10/8 172.16/12 192.168/16,
link-local 169.254/16 with the cloud metadata service, CGNAT, IPv6 loopback, link-local and
ULA, unspecified, multicast). The same check runs when a subscription is made and inside the
delivery client's connect (`guarded_client`), on the addresses actually connected to, so a
name that resolves elsewhere later (DNS rebinding) is refused at delivery time."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

import httpcore
import httpx

from services.common import errors

NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOCAL_NAMES = {"127.0.0.1", "localhost", "0.0.0.0", "::1", "::"}


class TargetRefused(errors.InvalidInput):
    kind = "webhook-target-refused"


def normalise(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.version == 6 and ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def own_endpoints(settings) -> tuple[set[tuple[str, int]], set[int]]:
    """(host, port) pairs of the platform, and the ports it listens on locally."""
    pairs, local_ports = set(), set()
    addrs = [f"{settings.http_host}:{settings.http_port}", settings.registry_addr, settings.procurement_addr,
             settings.incubation_addr, *settings.kafka.bootstrap_servers.split(",")]
    mongo = urlsplit(settings.mongo.uri)
    if mongo.hostname and mongo.port:
        addrs.append(f"{mongo.hostname}:{mongo.port}")
    for addr in addrs:
        host, _, port = addr.strip().rpartition(":")
        if port.isdigit():
            host = host.strip("[]").lower()
            pairs.add((host, int(port)))
            if host in LOCAL_NAMES:
                local_ports.add(int(port))
    if settings.public_url and (public := urlsplit(settings.public_url)).hostname:
        pairs.update((public.hostname.lower(), p) for p in (80, 443, public.port or 443))
    return pairs, local_ports


def check_address(address: str, port: int, settings) -> None:
    ip = normalise(address)
    pairs, local_ports = own_endpoints(settings)
    if (str(ip), port) in pairs or ((ip.is_loopback or ip.is_unspecified) and port in local_ports):
        raise TargetRefused(f"the webhook address {ip} port {port} is the platform itself", "url")
    if not settings.webhook_allow_private_networks and (not ip.is_global or ip.is_multicast):
        raise TargetRefused(f"the webhook address {ip} is private, loopback or link-local", "url")


async def resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


async def check_host(host: str, port: int, settings) -> list[str]:
    """The host's addresses, each allowed; raises TargetRefused otherwise."""
    if (host.lower(), port) in own_endpoints(settings)[0]:
        raise TargetRefused("the webhook URL points at the platform itself", "url")
    try:
        addresses = await resolve(host, port)
    except OSError:
        if settings.webhook_allow_private_networks:
            return []   # development: a name that does not resolve yet is accepted
        raise TargetRefused(f"the webhook host {host} does not resolve", "url") from None
    for address in addresses:
        check_address(address, port, settings)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address, then connects to a checked address (never re-resolves)."""

    def __init__(self, settings):
        self.settings, self.inner = settings, httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None,  # noqa: ASYNC109 - httpcore's API
                          socket_options=None):
        try:
            addresses = await check_host(host, port, self.settings) or await resolve(host, port)
        except (TargetRefused, OSError) as exc:
            raise httpcore.ConnectError(str(exc)) from None
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"{host} has no address")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_client(settings) -> httpx.AsyncClient:
    """An httpx client whose every connection goes through GuardedBackend (no proxies from env)."""
    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(ssl_context=httpx.create_ssl_context(),
                                                   network_backend=GuardedBackend(settings))
    return httpx.AsyncClient(transport=transport, timeout=settings.webhook_timeout_seconds,
                             follow_redirects=False, trust_env=False)
