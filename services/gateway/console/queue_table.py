"""Every work queue the console shows: which REST list it reads and which REST action each
button of a row calls. One row per queue; the sources are the REST work-queue endpoints
(`GET /api/v1/queues/{name}`, each `{"items": [...], "next_cursor": ""}`)."""

from dataclasses import dataclass, field

QUEUES_API = "/api/v1/queues"


@dataclass(frozen=True)
class Action:
    key: str                  # message key of the button
    path: str                 # REST path, {id} is the row's id
    body: dict = field(default_factory=dict)   # fixed part of the JSON body (the note is added)
    inputs: tuple[str, ...] = ("note",)        # form fields the person fills ("note", "score", "opinion")
    states: tuple[str, ...] = ()               # rows in these states only (empty: every row)
    note_field: str = "note"                   # the body field the note goes to

    @property
    def slug(self) -> str:
        """The action's name in the console's URL: the REST path's last step, and the button's if it differs."""
        tail = self.path.rsplit("/", 1)[1]
        return self.key if tail == self.key else f"{tail}.{self.key}"


@dataclass(frozen=True)
class Queue:
    name: str                 # the REST queue's name and the console's URL slug
    key: str                  # the field of an item that names it (its id)
    title: tuple[str, str]    # 中文, English
    roles: tuple[str, ...]    # who sees it in the console's list (REST decides who may read it)
    link: str = ""            # console page of a row, {id} is its id
    actions: tuple[Action, ...] = ()
    expand: str = ""          # one row per OPEN entry of this list of an item (its id is the row's `sub`)

    @property
    def path(self) -> str:
        return f"{QUEUES_API}/{self.name}"


_REVIEW = tuple(Action(k, f"/api/v1/achievements/{{id}}/{k}") for k in ("approve", "return", "reject"))
_REPORT = tuple(Action(k, f"/api/v1/annual-reports/{{id}}/{k}") for k in ("approve", "return"))
_STATION = tuple(Action(k, f"/api/v1/incubation/stations/{{id}}/{k}") for k in ("approve", "reject"))
_FIRST_SET = (Action("approve", "/api/v1/procurement/products/{id}/first-set/decision", {"approve": True}),
              Action("refuse", "/api/v1/procurement/products/{id}/first-set/decision", {"approve": False}))
_CLAIM = tuple(Action(key, f"/api/v1/procurement/insurance-claims/{{id}}/{step}", {"approve": approve}, states=(state,))
               for step, state in (("review", "APPLIED"), ("settle", "REVIEWED"))
               for key, approve in (("approve", True), ("refuse", False)))
_OBJECTION = tuple(Action(key, "/api/v1/achievements/{id}/objections/{sub}/resolve", {"uphold": uphold},
                          note_field="resolution") for key, uphold in (("uphold", True), ("dismiss", False)))
# The handling station moves its cases on (landing is the receiver's; incubation checks who may act).
_CASE = tuple(Action(key, f"/api/v1/incubation/cases/{{id}}/{key}", states=states) for key, states in (
    ("accept", ("SUBMITTED",)), ("review", ("ACCEPTED",)), ("approve", ("REVIEWED",)), ("close", ("LANDED",)),
    ("reject", ("SUBMITTED", "ACCEPTED", "REVIEWED"))))
_SCORE = (Action("submit_review", "/api/v1/procurement/products/{id}/reviews", {}, ("score", "opinion")),)

QUEUES = [
    Queue("review", "achievement_id", ("待审核成果", "Achievements to review"), ("supervisor", "operator"),
          actions=_REVIEW),
    Queue("annual-reports", "report_id", ("待审年度报告", "Annual reports to review"), ("supervisor", "operator"),
          actions=_REPORT),
    Queue("scoring", "product_id", ("待评分的入库申请", "Applications to score"), ("expert",),
          link="/console/products/{id}", actions=_SCORE),
    Queue("objections", "achievement_id", ("待处理异议", "Objections"), ("operator",), actions=_OBJECTION,
          expand="objections"),
    Queue("notices-ending", "achievement_id", ("即将结束的公示", "Notices ending"), ("operator",)),
    Queue("first-set-decisions", "product_id", ("首台套认定", "First-set decisions"), ("expert", "operator"),
          link="/console/products/{id}", actions=_FIRST_SET),
    Queue("claims", "claim_id", ("首台套保险理赔", "Insurance claims"), ("operator",), actions=_CLAIM),
    Queue("station-approvals", "station_id", ("待批准合作站", "Stations to approve"), ("operator",), actions=_STATION),
    Queue("overdue-obligations", "project_code", ("逾期转化义务", "Overdue obligations"), ("operator",)),
    Queue("sla-breaches", "case_id", ("超时案件", "SLA breaches"), ("operator",), link="/console/cases"),
    Queue("my-demands", "demand_id", ("我的采购需求", "My demands"), ("buyer",), link="/console/demands/{id}"),
    Queue("my-awards", "award_id", ("我的成交", "My awards"), ("buyer",)),
    Queue("my-drafts", "achievement_id", ("我的草稿与退回", "My drafts and returned items"),
          ("institution", "enterprise")),
    Queue("my-cases", "case_id", ("我的案件（按时限）", "My cases by SLA"), ("station",), link="/console/cases",
          actions=_CASE),
]
BY_NAME = {q.name: q for q in QUEUES}
TITLE_FIELDS = ("title", "name", "need", "achievement_title", "organisation", "product_id")
DUE_FIELDS = ("due_at", "stage_due_at", "notice_ends_at", "deadline", "due", "valid_until", "created_at")


def first(item: dict, names: tuple[str, ...]) -> str:
    return next((str(item[n]) for n in names if item.get(n)), "")


def rows(item: dict, queue: "Queue") -> list[dict]:
    """The table rows of one item: one, or one per open entry of its `expand` list."""
    if not queue.expand:
        return [row(item, queue.key)]
    base = row(item, queue.key)
    return [{**base, "sub": str(e.get("objection_id") or e.get("id", "")),
             "title": f"{base['title']} · {e.get('reason', '')}"}
            for e in item.get(queue.expand, []) if e.get("status", "OPEN") == "OPEN"]


def row(item: dict, key: str) -> dict:
    """What a queue table shows of any item: id, title, state, region, due date."""
    return {"id": str(item.get(key, "")), "sub": "", "title": first(item, TITLE_FIELDS),
            "state": first(item, ("status", "stage", "state")), "region": first(item, ("region",)),
            "due": first(item, DUE_FIELDS), "raw": item}
