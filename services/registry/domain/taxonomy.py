"""Controlled vocabularies of the standard record (plan items 1 and 5). Pure data."""

from services.common.vocab import ACHIEVEMENT_TYPES, KEY_FIELDS, REGIONS, TRANSFER_MODES  # noqa: F401 - from proto

FIELDS = KEY_FIELDS   # {wire string: label}, from proto/bth/common/v1/common.proto
TYPES = set(ACHIEVEMENT_TYPES)
