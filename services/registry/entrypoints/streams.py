"""The registry worker's stream agents (faust): each subscription of handlers.STREAMED (the live
statistics / trading map kept from the deal events of every service) is a faust agent whose
records go through the shared consumer's `consume()`: inbox dedupe, bounded retries, then the
service's dead-letter topic, exactly as for the API process's consumers."""

from services.common import streams
from services.registry.service_layer import handlers


def agents(app, deps) -> None:
    for group in sorted(handlers.STREAMED):
        stream_agent(app, deps.stream_consumer(group, handlers.SUBSCRIPTIONS[group]))


def stream_agent(app, consumer) -> None:
    """A faust agent over the consumer's topics that hands every record to `consumer.consume`."""
    async def agent(stream) -> None:
        async def records():
            async for event in stream.events():
                yield event.message
        await consumer.consume(records())

    app.agent(streams.source_topic(app, *consumer.topics), name=consumer.group)(agent)
