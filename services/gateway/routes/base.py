"""What every route module shares: strict request bodies and the caller's principal as a
dependency that checks the authorisation matrix for one action."""

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.common.identity import Principal
from services.gateway.auth import require

# Bounded numbers (a value past the contract's int32/int64 used to be a 500 when the message was built).
Year = Annotated[int, Field(ge=2000, le=2100)]
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]


def page(body: dict) -> dict:
    """A list reply as docs/api-conventions.md has it: `items` always a list, `next_cursor`
    always a string ("" on the last page), whatever proto3 left out."""
    return body | {"items": body.get("items", []), "next_cursor": body.get("next_cursor", "")}


def _encodable(value):
    """Text the contracts can carry: JSON may spell lone UTF-16 surrogates (\\ud9a2), which no
    UTF-8 message can hold (it used to be a 500 when the message was built)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    elif isinstance(value, list | tuple):
        for item in value:
            _encodable(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _encodable(key)
            _encodable(item)
    return value


class Strict(BaseModel):
    """A request body that refuses unknown fields and text no message can carry (422 naming
    the field)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _text_is_encodable(cls, value):
        return _encodable(value)


def example(body: dict) -> ConfigDict:
    """A strict body's config with the one example OpenAPI shows."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [body]})


class NoteIn(Strict):
    """An optional note on an action or a decision (audit trail)."""

    model_config = example({"note": "材料齐全，同意"})
    note: str = Field(default="", max_length=2000)


def who(action: str):
    """`p: who("procurement.apply")`: the caller, if the matrix lets their roles do the action."""
    return Annotated[Principal, Depends(require(action))]
