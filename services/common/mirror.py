"""Read models kept from snapshot-carrying events: every event of an entity topic carries
the entity's full record and version, so a mirror upserts it when the version is newer.
Applying an event twice, or an older one late, changes nothing."""

from google.protobuf.message import Message

from services.common import contracts


def snapshot_types(topic: str, snapshot_field: str) -> list[str]:
    """Event types on `topic` whose message has the snapshot field."""
    return sorted(name for name, c in contracts.catalogue().items()
                  if c.topic == topic and snapshot_field in c.message.DESCRIPTOR.fields_by_name)


class SnapshotMirror:
    def __init__(self, collection: str, id_field: str, snapshot_field: str):
        self.collection, self.id_field, self.snapshot_field = collection, id_field, snapshot_field

    def handlers(self, topic: str) -> dict:
        return dict.fromkeys(snapshot_types(topic, self.snapshot_field), self.apply)

    async def apply(self, message: Message, envelope, uow) -> None:
        snapshot = contracts.to_dict(getattr(message, self.snapshot_field))
        entity_id, version = snapshot[self.id_field], int(snapshot.get("version", 0))
        col = uow.db[self.collection]
        current = await col.find_one({"_id": entity_id}, {"version": 1}, session=uow.session)
        if current is not None and current.get("version", 0) >= version:
            return
        snapshot["version"] = version
        await col.replace_one({"_id": entity_id}, {"_id": entity_id, **snapshot,
                                                   "_event_type": envelope.type}, upsert=True,
                              session=uow.session)

    async def get(self, db, entity_id: str) -> dict | None:
        doc = await db[self.collection].find_one({"_id": entity_id})
        if doc:
            doc.pop("_id")
            doc.pop("_event_type", None)
        return doc
