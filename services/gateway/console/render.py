"""Server-side rendering: Jinja2 templates (autoescaped) with the person's language, the CSRF
token and the labels of the vocabularies; every response carries the console's cookies."""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates

from services.gateway.console import session, vocab_labels
from services.gateway.console.messages import UI

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
NAV = [  # (key, path, roles that see it; empty: everyone signed in)
    ("nav.catalog", "/console/catalog", ()),
    ("nav.demand", "/console/demands/new", ("buyer", "operator")),
    ("nav.awards", "/console/awards", ("buyer", "operator")),
    ("nav.queues", "/console/queues", ("supervisor", "expert", "operator", "institution", "buyer", "station")),
    ("nav.cases", "/console/cases", ("station", "operator", "partner", "institution", "enterprise")),
    ("nav.map", "/console/map", ()),
]


def translate(lang: str):
    def t(key: str) -> str:
        pair = UI.get(key)
        return key if pair is None else pair[0 if lang == "zh" else 1]
    return t


def day(value) -> str:
    """The date part of an RFC 3339 timestamp from the API ('' when unset)."""
    if not value:
        return ""
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC).strftime("%Y-%m-%d")
    except ValueError:
        return str(value)[:10]


def page(request: Request, template: str, status: int = 200, me: dict | None = None, **context):
    lang = session.language(request)
    roles = set((me or {}).get("roles", []))
    nav = [(key, path) for key, path, allowed in NAV if me and (not allowed or roles & set(allowed))]
    other = "en" if lang == "zh" else "zh"
    switch = request.url.path + "?" + urlencode({**request.query_params, "lang": other})
    response = TEMPLATES.TemplateResponse(request, template, {
        "t": translate(lang), "lang": lang, "me": me, "nav": nav, "csrf": session.csrf_token(request),
        "label": lambda kind, value: vocab_labels.label(kind, value, lang), "day": day,
        "reason": lambda text: vocab_labels.reason(text, lang),
        "regions": vocab_labels.regions(lang), "categories": vocab_labels.categories(lang),
        "fields": vocab_labels.fields(lang), "switch_lang": switch, "path": request.url.path, **context,
    }, status_code=status)
    return session.remember(request, response)
