"""The authorisation matrix: which roles may perform which action. One table, read by
`auth.require(action)` on every route and rendered in the README. Ownership (an
institution acts only on its organisation's records) and region scope are checked on top:
ownership by the domain services (the caller's identity travels in gRPC metadata), region
scope for partners by the gateway's delivery and feed."""

ROLES = {
    "institution": "institution user (university, institute, hospital, enterprise R&D)",
    "supervisor": "supervising department reviewer (主管部门)",
    "enterprise": "enterprise user (vendor in Beijing, Tianjin or Hebei)",
    "buyer": "procurement staff of a buyer unit",
    "expert": "review expert (catalog and first-set reviews)",
    "station": "cooperation station / incubator operator (Tianjin, Hebei)",
    "partner": "partner system of Tianjin or Hebei (machine client)",
    "operator": "platform operator",
}
EVERYONE = set(ROLES)

MATRIX: dict[str, set[str]] = {
    # --- registry ---
    "achievement.read": EVERYONE,
    "achievement.draft": {"institution", "enterprise", "operator"},
    "achievement.submit": {"institution", "enterprise", "operator"},
    "achievement.revise": {"institution", "enterprise"},                 # owner, draft or returned (registry)
    "achievement.review": {"operator"},                                  # approve / return / reject
    "achievement.withdraw": {"institution", "enterprise", "operator"},   # owner (checked by the registry)
    "achievement.object": EVERYONE,                                     # objections during the notice
    "achievement.resolve_objection": {"operator"},
    "achievement.transform": {"institution", "enterprise", "operator"},  # transformation records
    "achievement.search": EVERYONE,
    "achievement.match": EVERYONE,
    "registry.operate": {"operator"},                                   # conclude notices
    "contract.file": {"institution", "enterprise", "operator"},          # the seller files
    "contract.read": EVERYONE,                                          # parties / operators (checked by the registry)
    "contract.register": {"operator"},                                  # registrar: register / refuse / extend
    "statistics.read": EVERYONE,                                        # statistics and trading map
    "package.read": EVERYONE,                                           # achievement packages
    "package.manage": {"operator"},                                     # create / publish versions
    "tech_report.file": {"institution", "enterprise", "operator"},       # holder organisation (checked by the registry)
    "tech_report.read": EVERYONE,                                       # per sharing level (checked by the registry)
    "tech_report.request_access": EVERYONE,                             # restricted reports
    "tech_report.decide_access": {"institution", "enterprise", "operator"},  # holder (checked by the registry)
    "saved_search.manage": EVERYONE,                                    # own saved searches
    "achievement.export": EVERYONE,                                     # open data (JSON Lines)
    # annual reports & obligations
    "annual_report.oversee": {"supervisor", "operator"},                # own oversight list (operator: any)
    "annual_report.file": {"institution"},                              # own organisation's report
    "annual_report.read": {"institution", "supervisor", "operator"},     # own / overseen (checked by the registry)
    "annual_report.decide": {"supervisor", "operator"},                 # approve (files upward) / return
    "annual_report.status": {"supervisor", "operator"},                 # late and missing reports per year
    "obligation.manage": {"operator"},                                  # register funded projects
    "obligation.read": {"institution", "supervisor", "operator"},        # overdue obligations (holder: own)
    # --- procurement ---
    "procurement.read": EVERYONE,
    "procurement.apply": {"enterprise", "operator"},
    "procurement.review": {"expert", "operator"},
    "procurement.buy": {"buyer", "operator"},
    "procurement.operate": {"operator"},
    # --- incubation ---
    "incubation.read": EVERYONE,
    "incubation.operate": {"operator"},                                 # apply the SLA steps due now
    "incubation.dashboard": {"station", "partner", "operator"},          # own station (checked by the service)
    "incubation.station.apply": {"station", "operator"},                 # a host organisation applies
    "incubation.station.decide": {"operator"},                           # approve / reject / suspend / reinstate
    "incubation.station.report": {"station", "operator"},                # yearly performance report
    "incubation.incubator.manage": {"institution", "operator"},          # sponsor (checked by the service)
    "incubation.case.read": {"institution", "enterprise", "station", "partner", "operator"},  # scoped by service
    "incubation.case.submit": {"institution", "enterprise", "station"},  # a party or the handling station
    "incubation.case.handle": {"station"},                               # accept/review/approve/close/reject
    "incubation.case.land": {"institution", "enterprise", "station"},    # receiver or the handling station
    "incubation.case.withdraw": {"institution", "enterprise", "station"},  # holder or receiver
    # --- work queues (GET /api/v1/queues/<name>; the owning service scopes the items) ---
    "queue.review": {"supervisor", "operator"},                          # supervisor: overseen institutions
    "queue.annual-reports": {"supervisor", "operator"},                  # supervisor: its own institutions
    "queue.scoring": {"expert"},
    "queue.objections": {"operator"},
    "queue.notices-ending": {"operator"},
    "queue.first-set-decisions": {"operator", "expert"},
    "queue.claims": {"operator"},
    "queue.station-approvals": {"operator"},
    "queue.overdue-obligations": {"operator"},
    "queue.sla-breaches": {"operator"},
    "queue.my-demands": {"buyer"},                                       # own buyer unit
    "queue.my-awards": {"buyer"},                                        # own buyer unit
    "queue.my-drafts": {"institution", "enterprise"},                    # own organisation
    "queue.my-cases": {"station"},                                       # own station
    # --- gateway ---
    "accounts.me": EVERYONE,
    "accounts.manage": {"operator"},
    "events.read": {"partner", "operator"},
    "webhooks.manage": {"partner", "operator"},
    "dev.clock": {"operator"},                                          # development only (DEV_CLOCK_FILE)
}
