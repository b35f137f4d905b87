"""Commands of the registry (imperative names); `actor` is the authenticated caller.

Those that carry a gRPC request field for field are written once, in proto: `make proto`
generates them from the request messages that name them (gen/proto_commands/registry.py,
services/common/command_gen.py). ReviseAchievement, below, carries the changes the request
names, not the request's own fields."""

from dataclasses import dataclass, field

from proto_commands.registry import (  # noqa: F401 - the generated commands, re-exported
    ApproveAchievement,
    CheckContractDeadlines,
    ConcludeNotices,
    CreatePackage,
    DraftAchievement,
    ExtendContract,
    FileContract,
    GetAchievement,
    GetAuditTrail,
    GetContract,
    GetPackage,
    GetStatistics,
    GetTradingMap,
    LodgeObjection,
    MatchNeed,
    PublishPackageVersion,
    RecordTransformation,
    RefuseContract,
    RegisterContract,
    RejectAchievement,
    ResolveObjection,
    ReturnAchievement,
    SearchAchievements,
    SubmitAchievement,
    WithdrawAchievement,
)
from services.common.identity import Principal


@dataclass(frozen=True)
class ReviseAchievement:
    """The owner edits a draft or a returned record: `changes` maps revisable fields to new values."""
    actor: Principal
    achievement_id: str
    changes: dict = field(default_factory=dict)
    submit: bool = False
    note: str = ""
