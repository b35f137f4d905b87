"""Controlled vocabularies and default rules of the incubation service (pure data)."""

from services.common.vocab import REGIONS, TRANSFER_MODES  # noqa: F401 - the shared ones, from proto

STATION_SERVICES = {"instrument_sharing", "testing", "technology_transfer", "training", "financing"}
CASE_SERVICES = {"technology_trading", "ip_protection", "venture_capital", "consulting"}
RECEIVER_KINDS = {"ENTERPRISE", "INCUBATOR"}

# Working days (Mon–Fri) each open stage may last before the case is escalated.
DEFAULT_SLA_DAYS = {"SUBMITTED": 2, "ACCEPTED": 5, "REVIEWED": 3, "APPROVED": 20, "LANDED": 5}
DEFAULT_WARNING_RATIO = 0.8
# Station ranking: score = Σ weight × figure of the year's report (+ openness: services offered).
DEFAULT_RANKING_WEIGHTS = {"services_delivered": 1.0, "enterprises_served": 2.0,
                           "achievements_landed": 5.0, "services_offered": 3.0}
