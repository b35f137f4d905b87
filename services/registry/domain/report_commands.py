"""Commands of technology reports, saved searches and the open-data export (imperative names).

Those that carry a gRPC request field for field are written once, in proto: `make proto`
generates them from the request messages that name them (gen/proto_commands/registry.py,
services/common/command_gen.py). SaveSearch, below, carries its query as a SavedQuery."""

from dataclasses import dataclass

from proto_commands.registry import (  # noqa: F401 - the generated commands, re-exported
    DecideReportAccess,
    DeleteSavedSearch,
    ExportAchievements,
    FileTechReport,
    GetTechReport,
    ListSavedSearches,
    RequestReportAccess,
)
from services.common.identity import Principal
from services.registry.domain.saved_search import SavedQuery


@dataclass(frozen=True)
class SaveSearch:
    actor: Principal
    name: str
    query: SavedQuery
