"""French number formatting for the app: « 12 345 », « 12,3 % », secret → « s », absent → « — »."""

from __future__ import annotations

import math

NBSP = "\u202f"  # espace fine insécable, séparateur des milliers
SECRET = "s"
ABSENT = "—"
NON_LOCALISABLE = "n.l."  # known only at a wider level (part_non_localisable = 100), never 0


def nombre(valeur: float | None, decimales: int = 0) -> str:
    """`12345.6` → « 12 346 » ; `decimales=1` → « 12 345,6 »."""
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return ABSENT
    texte = f"{valeur:,.{decimales}f}"
    return texte.replace(",", NBSP).replace(".", ",")


def pourcentage(valeur: float | None, decimales: int = 1) -> str:
    """`12.34` (already in %) → « 12,3 % »."""
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return ABSENT
    return f"{nombre(valeur, decimales)}\u00a0%"


def decimales_pour(unite: str | None) -> int:
    """Counts and days are whole numbers; rates and ratios keep one decimal."""
    return 0 if unite in (None, "nombre", "jours") else 1


def valeur(valeur: float | None, statut: str | None, unite: str | None = None) -> str:
    """One published cell: « s » when secret (never 0), « — » when absent, else French number."""
    if statut == "secret":
        return SECRET
    if statut == "non_localisable":
        return NON_LOCALISABLE
    if statut == "absent" or valeur is None:
        return ABSENT
    if unite == "%":
        return pourcentage(valeur)
    return nombre(valeur, decimales_pour(unite))


def evolution(actuelle: float | None, precedente: float | None, unite: str | None = None) -> str | None:
    """Change vs previous period: points for a percentage, relative % otherwise; None if unknown."""
    if actuelle is None or precedente is None:
        return None
    if unite == "%":
        ecart = actuelle - precedente
        signe = "+" if ecart >= 0 else "-"
        return f"{signe}{nombre(abs(ecart), 1)} pt"
    if precedente == 0:
        return None
    ecart = 100 * (actuelle - precedente) / precedente
    signe = "+" if ecart >= 0 else "-"
    return f"{signe}{nombre(abs(ecart), 1)}\u00a0%"


MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")


def horodatage(moment) -> str:
    """A UTC timestamp (naive = UTC) → « 2 janvier 2025 à 04 h 00 » in Paris time; None → « — »."""
    if moment is None:
        return ABSENT
    from datetime import timezone
    from zoneinfo import ZoneInfo

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    local = moment.astimezone(ZoneInfo("Europe/Paris"))
    return f"{local.day} {MOIS[local.month - 1]} {local.year} à {local.hour:02d} h {local.minute:02d}"


def horodatage_iso(texte: str | None) -> str:
    """« 2026-11-25T16:27:43+00:00 » → « 25 novembre 2026 à 17 h 27 » (Paris); unreadable → as is."""
    from datetime import datetime

    if not texte:
        return ABSENT
    try:
        return horodatage(datetime.fromisoformat(texte))
    except ValueError:
        return texte


def cellule(valeur_: float | None, statut: str | None, unite: str | None, part_non_localisable: float | None) -> str:
    """`valeur` of a cell whose value may be known only at a wider level: « n.l. » when none of it
    can be located in the territory (`part_non_localisable` = 100), never 0."""
    if statut == "ok" and part_non_localisable is not None and part_non_localisable >= 100:
        return NON_LOCALISABLE
    return valeur(valeur_, statut, unite)


def evolution_pc(valeur: float | None) -> str | None:
    """A published change already in % (e.g. NDLS_EVOL_PC `2.8`) → « +2,8 % »; None if unknown."""
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return None
    return ("+" if valeur >= 0 else "-") + pourcentage(abs(valeur))
