"""First-set major technical equipment (首台套): application, eligibility by the region's
configured rule, recognition by a reviewer (pure)."""

from datetime import datetime

from services.common.errors import Forbidden, InvalidInput, TransitionRefused
from services.procurement.domain import events
from services.procurement.domain.policy import Policy
from services.procurement.domain.product import Product, Status
from services.procurement.domain.records import FirstSet


def apply(product: Product, actor, now: datetime, policy: Policy, own_ip: bool, major_breakthrough: bool,
          units_sold: int, note: str) -> None:
    if product.status != Status.LISTED:
        raise TransitionRefused(f"only a listed product can be recognised as a first set (it is {product.status})",
                                "status")
    if product.first_set.status in ("APPLIED", "RECOGNISED"):
        raise TransitionRefused(f"first-set recognition is {product.first_set.status} already", "first_set")
    rule = policy.first_set_rules.get(product.region)
    if rule is None:
        raise InvalidInput(f"no first-set scheme is configured for region {product.region}", "region")
    if units_sold < 0:
        raise InvalidInput("units_sold_in_region cannot be negative", "units_sold_in_region")
    if rule.require_own_ip and not own_ip:
        raise InvalidInput("a first set must rest on the applicant's own IP", "own_ip")
    if rule.require_major_breakthrough and not major_breakthrough:
        raise InvalidInput("a first set must be a major technical breakthrough", "major_breakthrough")
    if units_sold > rule.max_units_sold:
        raise InvalidInput(f"at most {rule.max_units_sold} units or batches may have been sold in "
                           f"{product.region} (got {units_sold})", "units_sold_in_region")
    product.first_set = FirstSet("APPLIED", own_ip, major_breakthrough, units_sold, note)
    product.transition(events.FirstSetApplied, "first-set-apply", actor, now, note=note)


def decide(product: Product, actor, now: datetime, approve: bool, note: str) -> None:
    if product.first_set.status != "APPLIED":
        raise TransitionRefused(f"no first-set application to decide (status {product.first_set.status})",
                                "first_set")
    if actor.organisation == product.organisation:
        raise Forbidden("reviewers of the applicant's own organisation may not decide", "expert")
    product.first_set.note = note
    if approve:
        product.first_set.status, product.first_set.recognised_at = "RECOGNISED", now
        product.is_first_set = True
        product.transition(events.FirstSetRecognised, "first-set-recognise", actor, now, note=note)
    else:
        product.first_set.status = "REFUSED"
        product.transition(events.FirstSetRefused, "first-set-refuse", actor, now, note=note)
