"""What a route answers, for the OpenAPI document: `-> Reply[achievement_pb2.Achievement]` (the
message's JSON mapping, its schema written from the proto descriptor), `-> Page[pb.StationPage]`
(the same, with `items` and `next_cursor` always present: base.page), `-> Lines[M]` (a JSON Lines
stream of M), or a pydantic model for what the gateway itself owns (`-> Reply[SubscriptionOut]`).
At run time the route still returns a dict: nothing is validated or copied on the way out;
tests/gateway/test_openapi_types.py checks real answers against the documented schemas."""

from dataclasses import dataclass
from typing import Annotated, get_args


@dataclass(frozen=True)
class Answer:
    shape: type          # a protobuf message class or a pydantic model
    page: bool = False   # items and next_cursor always present
    media_type: str = "application/json"


class Reply:
    def __class_getitem__(cls, shape: type):
        return Annotated[dict, Answer(shape)]


class Lines:
    """A JSON Lines stream (application/x-ndjson): one message's JSON mapping per line."""

    def __class_getitem__(cls, shape: type):
        return Annotated[dict, Answer(shape, media_type="application/x-ndjson")]


class Page:
    def __class_getitem__(cls, shape: type):
        return Annotated[dict, Answer(shape, page=True)]


def answer_of(endpoint) -> Answer | None:
    """The `Answer` a route endpoint's return annotation names, if any."""
    annotation = getattr(endpoint, "__annotations__", {}).get("return")
    found = [a for a in get_args(annotation)[1:] if isinstance(a, Answer)]
    return found[0] if found else None
