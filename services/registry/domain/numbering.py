"""Deterministic registration numbers in the national style (pure):
<registering body code>-<year>-<type flag>-<serial, 6 digits>, e.g. 110000-2026-P-000001.
The serial comes from a per-(body, year) counter incremented in the registering transaction."""

TYPE_FLAGS = {"patent": "P", "software": "S", "new_product": "N", "process": "C", "material": "M",
              "variety": "V", "standard": "B", "other": "Q"}


def counter_key(body_code: str, year: int) -> str:
    return f"registration:{body_code}:{year}"


def registration_number(body_code: str, year: int, achievement_type: str, serial: int) -> str:
    return f"{body_code}-{year}-{TYPE_FLAGS[achievement_type]}-{serial:06d}"


def certificate_id(registration_number: str) -> str:
    return f"CERT-{registration_number}"
