"""Commands of the incubation service (imperative names); `actor` is the authenticated caller.

Those that carry a gRPC request field for field are written once, in proto: `make proto`
generates them from the request messages that name them (gen/proto_commands/incubation.py,
services/common/command_gen.py). Those below take something the request does not say (the
action a method stands for) or are the timers'."""

from dataclasses import dataclass

from proto_commands.incubation import (  # noqa: F401 - the generated commands, re-exported
    AdmitEnterprise,
    ApplyStation,
    CountIncubators,
    FileStationReport,
    GetCase,
    GetIncubator,
    GetKnownAchievement,
    GetStation,
    GetStationDashboard,
    ListCases,
    ListStations,
    RankStations,
    RegisterIncubator,
    SubmitCase,
)
from services.common.identity import Principal


@dataclass(frozen=True)
class ChangeStation:
    actor: Principal
    station_id: str
    action: str          # approve | reject | suspend | reinstate
    note: str = ""


@dataclass(frozen=True)
class ReleaseEnterprise:
    actor: Principal
    incubator_id: str
    enterprise_id: str
    graduated: bool


@dataclass(frozen=True)
class ActOnCase:
    actor: Principal
    case_id: str
    action: str          # accept | review | approve | land | close | reject | withdraw
    note: str = ""
    amount: str = ""


@dataclass(frozen=True)
class DetectSlaBreaches:
    now: object = None   # datetime; default deps.clock.now()
