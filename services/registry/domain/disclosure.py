"""What a caller who is neither the owner nor an operator sees of a public achievement
(pure): the record, without its audit trail and without who lodged or resolved objections
(an objection's reason and state stay public during the notice)."""

import copy
from dataclasses import replace

from services.common.identity import Principal

PRIVILEGED = ("operator", "system", "supervisor")


def seen_by(achievement, actor: Principal):
    if actor.has(*PRIVILEGED) or (actor.organisation and actor.organisation == achievement.organisation):
        return achievement
    seen = copy.copy(achievement)   # the stored aggregate is not touched
    seen.audit = []
    seen.objections = [replace(o, lodged_by="", organisation="", resolved_by="") for o in achievement.objections]
    return seen
