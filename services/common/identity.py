"""Caller identity, carried from the gateway to services in gRPC metadata (pure)."""

from dataclasses import dataclass, field

PREFIX = "x-bth-"


@dataclass(frozen=True)
class Principal:
    subject: str
    organisation: str = ""
    region: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def to_metadata(self) -> list[tuple[str, str]]:
        return [
            (PREFIX + "subject", self.subject),
            (PREFIX + "organisation", self.organisation),
            (PREFIX + "region", self.region),
            (PREFIX + "roles", ",".join(sorted(self.roles))),
        ]

    @classmethod
    def from_metadata(cls, metadata: dict[str, str]) -> "Principal":
        roles = metadata.get(PREFIX + "roles", "")
        return cls(
            subject=metadata.get(PREFIX + "subject", "anonymous"),
            organisation=metadata.get(PREFIX + "organisation", ""),
            region=metadata.get(PREFIX + "region", ""),
            roles=frozenset(r for r in roles.split(",") if r),
        )


ANONYMOUS = Principal(subject="anonymous")
SYSTEM = Principal(subject="system", roles=frozenset({"system"}))


def partner_of(region: str) -> Principal:
    """A partner system of `region` as the gateway presents one to a service: the principal
    whose read rules decide which partner regions an event may reach (audience)."""
    return Principal(subject=f"partner-{region.lower()}", region=region, roles=frozenset({"partner"}))
