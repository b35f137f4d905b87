"""Which partner regions may see an event: decided here, by the registry that owns the data,
with the same read rules its queries use, so a partner sees in the feed and by webhook exactly
what it could read through REST. An entity without a rule here (annual reports, oversight,
fiscal obligations, saved searches) is for its owners and operators only."""

from services.common.identity import Principal, partner_of
from services.common.vocab import REGIONS
from services.registry.domain import contract, model, package, tech_report
from services.registry.service_layer.contracts import visible as contract_visible
from services.registry.service_layer.lifecycle import visible as achievement_visible

RULES = {
    model.Achievement: achievement_visible,                         # public states only (公示, registered)
    contract.TechnologyContract: contract_visible,                  # the parties' organisations only
    package.AchievementPackage: lambda _package, _partner: True,    # published for everyone
}


def _tech_report(report: tech_report.TechReport, event, partner: Principal) -> bool:
    """The filing of a report a partner may see; access requests concern their requesters only."""
    return isinstance(event, tech_report.TechReportFiled) and report.may_see(partner)


def partner_regions(aggregate, event) -> tuple[str, ...]:
    if isinstance(aggregate, tech_report.TechReport):
        return tuple(r for r in REGIONS if _tech_report(aggregate, event, partner_of(r)))
    rule = RULES.get(type(aggregate))
    return tuple(r for r in REGIONS if rule(aggregate, partner_of(r))) if rule else ()
