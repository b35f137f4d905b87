"""Which partner regions may see an event: procurement's domain names it on every event
(`visible_regions`: the public catalog, demands and suggestions everywhere, an award to the
buyer's and the vendor's regions, a claim to its region; an application under review to no
partner, as REST answers them 404), and the outbox carries it in the envelope."""


def partner_regions(_aggregate, event) -> tuple[str, ...]:
    return tuple(getattr(event, "visible_regions", ()) or ())
