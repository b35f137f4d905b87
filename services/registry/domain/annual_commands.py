"""Commands of annual reports, oversight lists and fiscal obligations (imperative names): each
carries its gRPC request field for field, so it is written once, in proto (`make proto`
generates them: gen/proto_commands/registry.py, services/common/command_gen.py)."""

from proto_commands.registry import (  # noqa: F401 - the generated commands, re-exported
    ApproveAnnualReport,
    CheckObligations,
    FileAnnualReport,
    FlagMissingReports,
    GetAnnualReport,
    GetFundedProject,
    GetOversight,
    GetReportingStatus,
    ListOverdueObligations,
    OverseeInstitution,
    RegisterFundedProject,
    ReleaseInstitution,
    ReturnAnnualReport,
)
