"""The agent a tablet's outbox declares for an item (`X-LIC-Agent`), checked against the session.

A control kept offline on a shared tablet is its agent's: the outbox sends it only with that
agent's session. The server checks it too, so that a tablet running an older script (which
sent every item with whatever session was open) cannot record one agent's control as
another's. A request without the header (the screens, other tools) is not concerned.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException

from web.security import Agent

HEADER = "X-LIC-Agent"
OTHER_AGENT = (
    "Ce contrôle a été saisi par un autre agent : il ne peut être envoyé que sous sa connexion."
)


def check_declared_agent(
    user: Agent,
    x_lic_agent: Annotated[
        str | None, Header(description="The user id the tablet recorded the item under")
    ] = None,
) -> None:
    """409 when the item's agent is not the signed-in user."""
    if x_lic_agent is not None and x_lic_agent.strip() != str(user.id):
        raise HTTPException(409, OTHER_AGENT)


SameAgent = Depends(check_declared_agent)
