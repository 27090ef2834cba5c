"""Templates: one URL renders a full page, or only a block of it for an htmx request."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from control.rules.french import WEEKDAYS
from control.rules.natinf import euros
from control.rules.timeline import PARIS
from control.services.recording import new_form_key
from control.storage.audit import action_label
from control.typed_time import CLOCK_HINT, DAY_HINT, MOMENT_HINT, moment_text
from control.verify.wording import verdict_label
from web.assets import Assets
from web.presenters import Segment
from web.security import current_user, form_token
from web.vendor import DSFR_BUNDLE_URL, DSFR_SCRIPTS

TEMPLATES = Path(__file__).parent / "templates"
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def french_date(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: date) -> str:
    return f"{WEEKDAYS[value.weekday()][:3]}. {value.day:02d}/{value.month:02d}"


def french_time(value: datetime) -> str:
    return value.astimezone(PARIS).strftime("%H h %M")


def french_datetime(value: datetime) -> str:
    local = value.astimezone(PARIS)
    return f"{local.day:02d}/{local.month:02d}/{local.year} à {local.strftime('%H h %M')}"


def iso_day(value: str) -> str:
    """ "2026-12-05" as "05/12/2026" (a date carried as text, in a signed code for example)."""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value


def minutes(value: int) -> str:
    hours, rest = divmod(int(value), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def references(texts: Iterable[str]) -> Markup:
    """Legal references joined by " ; ", each kept whole on one line: on a phone a reference
    never breaks as "art. R. 3312-" / "51"."""
    return Markup(" ; ").join(Markup('<span class="ref">{}</span>').format(t) for t in texts)


def bar(segments: Iterable[Segment]) -> Markup:
    """A day's activities as the bare rects of its SVG bar (the x axis in minutes): a few
    hundred per verdict, so written here rather than by a template loop. Each is kind and
    numbers only (an ActivityType and ints): the times are text in the list beside it."""
    rect = '<rect class="{}" x="{}" width="{}" height="1"/>'
    return Markup("".join([rect.format(s.kind, s.left, s.width) for s in segments]))


def periods(segments: Iterable[Segment]) -> Markup:
    """Each activity's times as the list items the agent reads out, on a tap of the bar."""
    return Markup("".join([f"<li>{escape(s.title)}</li>" for s in segments]))


def make_environment(assets: Assets) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the app: no stat of each one at every page
    )
    # every static file a template names goes through `asset`: its hashed, immutable URL
    env.globals.update(asset=assets.url, dsfr_styles=DSFR_BUNDLE_URL, dsfr_scripts=DSFR_SCRIPTS)
    env.globals.update(DAY_HINT=DAY_HINT, CLOCK_HINT=CLOCK_HINT, MOMENT_HINT=MOMENT_HINT)
    env.filters["combine"] = lambda base, extra: {**base, **(extra or {})}
    # the control form's "Date et heure", prefilled as the agent would type it
    env.globals["now_local"] = lambda: moment_text(datetime.now(PARIS))
    env.globals["new_form_key"] = new_form_key  # a control form's key: sent twice, recorded once
    env.filters["as_text"] = lambda value: (
        ", ".join(value) if isinstance(value, list | tuple) else (value or "")
    )
    env.filters.update(
        french_date=french_date,
        short_date=short_date,
        french_time=french_time,
        french_datetime=french_datetime,
        minutes=minutes,
        references=references,
        bar=bar,
        periods=periods,
        verdict_label=verdict_label,
        iso_day=iso_day,
        action_label=action_label,
        euros=euros,
    )
    return env


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    template: str,
    block: str | None = None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The whole page, or only `block` when htmx asks; `Vary` tells caches they differ."""
    env: Environment = request.app.state.templates
    page = env.get_template(template)
    user = getattr(request.state, "user", None)
    if user is None and "session" in request.scope:  # a public page keeps a signed-in menu
        user = current_user(request)
    values = {"request": request, "user": user, **context}
    values.setdefault("csrf", form_token(request))
    if block and is_htmx(request):
        html = "".join(page.blocks[block](page.new_context(values)))
    else:
        html = page.render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
