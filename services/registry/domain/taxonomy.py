"""Controlled vocabularies of the standard record (plan items 1 and 5). Pure data."""

from services.common.vocab import REGIONS, TRANSFER_MODES  # noqa: F401 - the shared ones, from proto

FIELDS = {
    "5g": "5G / mobile communications",
    "ai": "artificial intelligence",
    "digital-manufacturing": "digital manufacturing",
    "biomedicine": "biomedicine",
    "new-energy-vehicles": "new-energy vehicles",
    "rail-transit": "rail transit",
    "eco-environment": "eco-environment",
    "urban-management": "urban management",
    "food-safety": "food safety",
    "new-materials": "new materials",
    "energy": "energy and power",
    "agriculture": "modern agriculture",
}
TYPES = {"patent", "software", "new_product", "process", "material", "variety", "standard", "other"}
