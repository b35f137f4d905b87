"""Caller identity (pure). It travels from the gateway to services inside a signed token
(internal_auth.py)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    subject: str
    organisation: str = ""
    region: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


ANONYMOUS = Principal(subject="anonymous")
SYSTEM = Principal(subject="system", roles=frozenset({"system"}))


def partner_of(region: str) -> Principal:
    """A partner system of `region` as the gateway presents one to a service: the principal
    whose read rules decide which partner regions an event may reach (audience)."""
    return Principal(subject=f"partner-{region.lower()}", region=region, roles=frozenset({"partner"}))
