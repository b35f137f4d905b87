"""What every route module shares: strict request bodies and the caller's principal as a
dependency that checks the authorisation matrix for one action."""

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, ConfigDict, Field

from services.common.identity import Principal
from services.gateway.auth import require


class Strict(BaseModel):
    """A request body that refuses unknown fields (422 naming the field)."""

    model_config = ConfigDict(extra="forbid")


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
