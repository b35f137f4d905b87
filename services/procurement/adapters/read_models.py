"""Procurement's read models kept from other services' events."""

from services.common.mirror import SnapshotMirror

ACHIEVEMENT_TOPIC = "bth.registry.achievement.v1"
achievements = SnapshotMirror("known_achievements", "achievement_id", "achievement")
