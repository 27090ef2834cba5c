"""The audit log: who opened which control, photo or bulletin, and when. Append-only: this
module has no update or delete, and admins read it but cannot change it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from control.storage.schema import audit_log, users


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    login: str
    action: str  # e.g. "open-control", "open-photo", "download-bulletin", "export", "login-failed"
    # (ACTION_LABELS); its target names objects by number, never a person (no name, no birth date)
    target: str


ACTION_LABELS = {  # what the journal shows for each action it stores
    "login": "Connexion",
    "login-failed": "Connexion refusée (mot de passe)",
    "login-locked": "Connexion refusée (compte verrouillé)",
    "account-locked": "Compte verrouillé après des échecs",
    "account-enabled": "Compte réactivé",
    "account-disabled": "Compte désactivé",
    "account-region": "Région du compte modifiée",
    "account-created": "Compte créé",
    "account-identity": "Identité du compte modifiée",
    "login-proconnect": "Connexion (ProConnect)",
    "login-proconnect-unknown": "Connexion ProConnect refusée (sans compte : demande d'accès)",
    "login-proconnect-disabled": "Connexion ProConnect refusée (compte désactivé)",
    "login-proconnect-failed": "Connexion ProConnect refusée (réponse invalide)",
    "login-local-refused": "Connexion par mot de passe refusée (désactivée)",
    "proconnect-bound": "Compte lié à ProConnect",
    "proconnect-unbound": "Compte délié de ProConnect",
    "access-approved": "Demande d'accès approuvée (compte créé)",
    "access-refused": "Demande d'accès refusée",
    "password-changed": "Mot de passe changé",
    "password-reset": "Mot de passe réinitialisé par un administrateur",
    "open-control": "Consultation d'un contrôle",
    "open-photo": "Consultation d'une photo",
    "open-company": "Consultation d'une entreprise",
    "open-company-control": "Consultation d'un contrôle en entreprise",
    "download-bulletin": "Téléchargement d'un bulletin",
    "download-company-report-pdf": "Téléchargement d'un rapport d'entreprise (PDF)",
    "download-company-report-xlsx": "Téléchargement d'un rapport d'entreprise (XLSX)",
    "export": "Export de résultats de recherche",
    "export-audit": "Export du journal",
    "export-greco": "Export GRECO d'un contrôle",
    "export-c1b": "Export d'un contrôle en fichiers C1B (carte conducteur)",
    "open-bulletin": "Consultation d'un bulletin",
    "driver-download": "Téléchargement d'un bulletin par le conducteur (lien)",
    "list-controls": "Consultation de la liste des contrôles",
    "search": "Recherche de contrôles",
    "delete-photo": "Suppression d'une photo",
    "delete-sheet": "Suppression d'une feuille transcrite",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def about_control(control_id: int, detail: str = "") -> str:
    """How the journal names a control and what of it was touched: by number, in French."""
    return f"contrôle {control_id}" + (f" {detail}" if detail else "")


def record(engine: Engine, user_id: int | None, action: str, target: str) -> None:
    """Append one row; `user_id` None for a sign-in attempt with an unknown login (the typed
    login is not kept: it may be a password typed in the wrong field)."""
    with engine.begin() as connection:
        connection.execute(
            insert(audit_log).values(
                at=datetime.now(UTC), user_id=user_id, action=action, target=target[:100]
            )
        )


def record_many(engine: Engine, user_id: int, action: str, targets: list[str]) -> None:
    """Append one row per target, at once (an export of many controls names each)."""
    if not targets:
        return
    at = datetime.now(UTC)
    rows = [dict(at=at, user_id=user_id, action=action, target=t[:100]) for t in targets]
    with engine.begin() as connection:
        connection.execute(insert(audit_log), rows)


def entries(engine: Engine, limit: int = 1000) -> list[AuditEntry]:
    query = (
        select(audit_log.c.at, users.c.login, audit_log.c.action, audit_log.c.target)
        .outerjoin(users, users.c.id == audit_log.c.user_id)
        .order_by(audit_log.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [
            AuditEntry(
                r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC),
                r.login or "(inconnu)",
                r.action,
                r.target,
            )
            for r in connection.execute(query)
        ]
