"""Commands of technology reports, saved searches and the open-data export (imperative names)."""

from dataclasses import dataclass

from services.common.identity import Principal
from services.registry.domain.commands import SearchAchievements
from services.registry.domain.saved_search import SavedQuery


@dataclass(frozen=True)
class FileTechReport:
    actor: Principal
    title: str
    content: str
    sharing: str
    summary: str = ""
    achievement_id: str = ""
    project_code: str = ""


@dataclass(frozen=True)
class GetTechReport:
    actor: Principal
    report_id: str


@dataclass(frozen=True)
class RequestReportAccess:
    actor: Principal
    report_id: str
    reason: str


@dataclass(frozen=True)
class DecideReportAccess:
    actor: Principal
    report_id: str
    request_id: str
    grant: bool
    note: str = ""


@dataclass(frozen=True)
class SaveSearch:
    actor: Principal
    name: str
    query: SavedQuery


@dataclass(frozen=True)
class ListSavedSearches:
    actor: Principal


@dataclass(frozen=True)
class DeleteSavedSearch:
    actor: Principal
    saved_search_id: str


class ExportAchievements(SearchAchievements): ...
