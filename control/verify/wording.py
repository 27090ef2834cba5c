"""Verdicts and warnings in the controller's French: what each means and what to do."""

from __future__ import annotations

from control.verify.verdicts import Verdict, Warning

# (title, what it means and what to do), in the controller's words.
VERDICTS: dict[Verdict, tuple[str, str]] = {
    Verdict.VALID: (
        "Code authentique",
        "Signature valide, émise par un émetteur de confiance. Le relevé ci-dessous est celui "
        "du conducteur.",
    ),
    Verdict.NOT_A_LIC_CODE: (
        "Ce n'est pas un code LIC",
        "Le QR code lu n'est pas celui du livret. Demandez au conducteur d'afficher le QR code "
        "de contrôle de son application.",
    ),
    Verdict.MALFORMED: (
        "Code illisible ou altéré",
        "Le contenu du code est corrompu. Faites générer un nouveau code ; si le problème "
        "persiste, contrôlez le livret par un autre moyen.",
    ),
    Verdict.UNSUPPORTED_ALGORITHM: (
        "Signature d'un type non accepté",
        "Le code n'est pas signé selon la norme LIC : il ne peut pas être considéré comme "
        "authentique.",
    ),
    Verdict.UNKNOWN_KEY: (
        "Émetteur inconnu",
        "La clé qui a signé ce code n'est pas dans la liste de confiance. Vérifiez que la "
        "tablette est à jour ; sinon, le code n'est pas authentique.",
    ),
    Verdict.REVOKED_KEY: (
        "Clé de signature révoquée",
        "L'émetteur a retiré cette clé : le code n'est pas fiable. Contrôlez le livret par un "
        "autre moyen.",
    ),
    Verdict.KEY_NOT_VALID_AT_IAT: (
        "Clé hors de sa période de validité",
        "Le code a été signé avec une clé qui n'était pas valide à cette date : il n'est pas "
        "fiable.",
    ),
    Verdict.BAD_SIGNATURE: (
        "Signature invalide : code falsifié",
        "Le contenu ne correspond pas à la signature : le code a été modifié. Ne vous fiez pas "
        "à ce qu'il affiche.",
    ),
    Verdict.EXPIRED: (
        "Code expiré",
        "Le code a dépassé sa durée de validité. Demandez au conducteur d'en générer un nouveau.",
    ),
    Verdict.ISSUED_IN_FUTURE: (
        "Code daté dans le futur",
        "Vérifiez l'heure de la tablette et celle du téléphone du conducteur.",
    ),
    Verdict.RECORD_INVALID: (
        "Relevé incohérent",
        "La signature est valide mais le relevé enfreint ses propres règles : signalez "
        "l'émetteur et contrôlez le livret par un autre moyen.",
    ),
}
# A Mobilic code (control/verify/mobilic.py): read, never verified; the online page and the
# tablet's view say the same words.
MOBILIC = {
    "title": "Code Mobilic : à consulter dans Mobilic",
    "advice": (
        "Ce QR code n'est pas un code LIC : c'est un lien vers l'historique du conducteur dans "
        "Mobilic. Ouvrez-le dans l'interface contrôleur de Mobilic pour consulter ses temps."
    ),
    "unverified": (
        "Contrôle LIC ne peut pas vérifier ce code : sa signature est un secret de Mobilic "
        "(HS256), ni le serveur ni la tablette ne peuvent la contrôler. Les dates ci-dessous "
        "sont celles que le code annonce, sans garantie qu'il soit authentique."
    ),
    "expired": "Le code annonce une date d'expiration dépassée : demandez-en un nouveau.",
    "future": (
        "Le code annonce une génération dans le futur : l'horloge du téléphone est fausse, ou "
        "le code n'a pas été fait par Mobilic."
    ),
    "offline": (
        "Hors ligne : Mobilic ne peut pas être ouvert, et son lien n'est pas gardé (c'est une "
        "clé d'accès à l'historique du conducteur). Enregistrez le contrôle ; au retour du "
        "réseau, scannez de nouveau le code du conducteur pour consulter Mobilic."
    ),
    "note": "Code Mobilic présenté : historique à consulter dans Mobilic (non vérifiable ici).",
}
WARNINGS = {
    Warning.TRUST_LIST_STALE: "La liste de confiance n'est plus à jour : synchronisez la tablette.",
    Warning.RECORD_INCOMPLETE: (
        "Le code ne contient que les jours les plus récents : le relevé complet est consultable "
        "chez l'émetteur."
    ),
    Warning.GENERATED_MORE_THAN_24H_AGO: "Code généré il y a plus de 24 heures.",
}


def verdict_label(value: str | None) -> str:
    """A stored verdict (its machine value) as a person reads it; "" for none."""
    if not value:
        return ""
    try:
        return VERDICTS[Verdict(value)][0]
    except ValueError:
        return value
