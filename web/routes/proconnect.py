"""Signing in with ProConnect (docs/sign-in.md).

The flow (state, nonce, PKCE verifier, the page asked for) travels in a cookie of its own,
signed, short-lived, SameSite=lax and limited to /connexion/proconnect: the session cookie is
SameSite=strict, so the provider's cross-site redirect back brings it not. The return page
opens the session, then sends the browser on with a page of ours (not a redirect): a strict
cookie set at the end of a cross-site redirect chain is withheld from its next hop.
"""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urljoin

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from control.services.proconnect_accounts import account_for
from control.storage.audit import record as audit
from control.storage.users import Identity
from web.params import safe_next
from web.proconnect import Flow, ProConnect, ProConnectError
from web.rendering import render
from web.security import sign_in

router = APIRouter()

FLOW_COOKIE = "lic_proconnect"
FLOW_PATH = "/connexion/proconnect"
FLOW_SECONDS = 600  # time to sign in at the provider
ID_TOKEN = "proconnect_id_token"  # in the session: the logout's id_token_hint
PROVIDER_LOGOUT = "proconnect_logout"  # after signing out: the provider's logout, to visit

NO_FLOW = (
    "Aucune connexion ProConnect en cours sur ce navigateur (expirée ou déjà terminée) : "
    "recommencez la connexion."
)
CANCELLED = "Connexion ProConnect interrompue : recommencez quand vous le souhaitez."


def provider(request: Request) -> ProConnect:
    found: ProConnect | None = request.app.state.context.proconnect
    if found is None:
        raise HTTPException(404, "La connexion avec ProConnect n'est pas proposée ici.")
    return found


def redirect_uri(request: Request) -> str:
    settings = request.app.state.context.settings
    return settings.proconnect_redirect_url or str(request.url_for("proconnect_return"))


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret = request.app.state.context.settings.session_secret()
    return URLSafeTimedSerializer(secret, salt="proconnect-flow")


@router.get("/connexion/proconnect")
def proconnect_start(
    request: Request, suivant: Annotated[str, Query(max_length=300)] = "/"
) -> Response:
    try:
        url, flow = provider(request).start(redirect_uri(request), safe_next(suivant))
    except ProConnectError as error:
        return render(request, "error.html", status_code=error.status, message=error.message)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        _serializer(request).dumps(flow.__dict__),
        max_age=FLOW_SECONDS,
        path=FLOW_PATH,
        secure=request.app.state.context.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get("/connexion/proconnect/retour", name="proconnect_return")
def proconnect_return(
    request: Request,
    code: Annotated[str, Query(max_length=2000)] = "",
    state: Annotated[str, Query(max_length=200)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The provider's redirect back: the flow cookie is spent whatever the outcome, so a
    replayed return finds none."""
    client = provider(request)
    engine = request.app.state.context.engine
    try:
        flow = _flow(request)
        if error:
            raise ProConnectError(CANCELLED)
        if not code or not state:
            raise ProConnectError(NO_FLOW)
        signed = client.finish(flow, redirect_uri(request), state, code)
    except ProConnectError as failure:
        audit(engine, None, "login-proconnect-failed", f"ProConnect : refus {failure.status}")
        return _spent(
            render(request, "error.html", status_code=failure.status, message=failure.message)
        )
    claims = signed.claims
    found = Identity(
        email=claims.email,
        siret=claims.siret,
        given_name=claims.given_name,
        family_name=claims.usual_name,
    )
    now = request.app.state.context.now()
    outcome = account_for(engine, claims.sub, claims.email, found, now)
    if outcome.unknown:
        return _spent(
            render(request, "proconnect_unknown.html", status_code=403, email=claims.email)
        )
    if outcome.user is None:
        return _spent(render(request, "error.html", status_code=403, message=outcome.refusal))
    sign_in(request, outcome.user)
    request.session[ID_TOKEN] = signed.id_token
    target = "/compte" if outcome.user.must_change_password else flow.target
    return _spent(render(request, "signed_in.html", target=target))


def _flow(request: Request) -> Flow:
    cookie = request.cookies.get(FLOW_COOKIE, "")
    try:
        values = _serializer(request).loads(cookie, max_age=FLOW_SECONDS)
        return Flow(**values)
    except (BadSignature, TypeError, json.JSONDecodeError):
        raise ProConnectError(NO_FLOW) from None


def _spent(response: Response) -> Response:
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return response


def logout_target(request: Request, id_token: object) -> str | None:
    """Where signing out goes on: the provider's end_session_endpoint when the session was
    opened through it (its own session ends too), back to our sign-in page."""
    client: ProConnect | None = request.app.state.context.proconnect
    if client is None or not isinstance(id_token, str):
        return None
    back = urljoin(redirect_uri(request), "/connexion")
    try:
        return client.logout_url(id_token, back)
    except ProConnectError:
        return None  # the provider is down: our session is ended all the same
