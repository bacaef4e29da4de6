"""A territory's trajectory against its target: the observatory's own annual series (e.g.
`ATTR_SD_PERS`) cumulated since the target's start, the remaining gap, and the monthly pace needed
to reach the target by its date. A sum over a secret or absent year is never made: the trajectory
is then unknown, and the sentence says why.

Pure functions (no Streamlit, no Dagster): the app (`observatory_app/objectifs.py`) and the annual
report (`assets/rapport/contenu.py`) both call them, so they say the same thing the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from observatoire_commun.format import ABSENT, NBSP, nombre  # noqa: F401 (NBSP re-exported)

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre")


@dataclass(frozen=True)
class Trajectoire:
    """`cumul`: the series summed over the whole years `annee_debut`…`derniere_annee` (None when
    unknown); `ecart`: target − cumul (≤ 0: reached); `mois_restants`: months from the end of
    `derniere_annee` to the target month included; `rythme_mensuel`: ecart / mois_restants."""

    cible: float
    date_cible: date
    annee_debut: int
    derniere_annee: int | None
    cumul: float | None
    ecart: float | None
    mois_restants: int | None
    rythme_mensuel: float | None
    inconnu: str | None  # why the trajectory is unknown (French), else None
    #: « cumul » (the series summed since the start: `cumul`) or « niveau » (a stock, a rate, a
    #: median: `cumul` holds the latest published year's value, `derniere_annee` its year).
    nature: str = "cumul"
    #: « niveau » only: the value the target starts from (given, else the published value of the
    #: year before `annee_debut`), None when unknown; its sign against the target says whether the
    #: series must rise or fall.
    depart: float | None = None


def mois_entre(fin_annee: int, date_cible: date) -> int:
    """Months after December of `fin_annee` up to the target month included (2024 → 2026-12: 24)."""
    return (date_cible.year - fin_annee) * 12 + date_cible.month - 12


def _annees(annees: list[int], adjectif: str) -> str:
    """[2023] → « année 2023 secrète » ; [2023, 2024] → « années 2023, 2024 secrètes »."""
    if not annees:
        return ""
    pluriel = len(annees) > 1
    return f"année{'s' if pluriel else ''} {', '.join(map(str, annees))} {adjectif}{'s' if pluriel else ''}"


def trajectoire(rows: list[tuple[str, float | None, str | None]], cible: float, date_cible: date,
                annee_debut: int, valeur_initiale: float = 0.0) -> Trajectoire:
    """`rows`: the series' published annual cells (periode 'AAAA', valeur, statut) for the territory.
    Cumulated from `annee_debut` to the latest year published; every year in between must be `ok`
    with a value, otherwise the cumul, the gap and the pace are unknown."""
    annuelles = {int(p): (v, s) for p, v, s in rows if str(p).isdigit() and int(p) >= annee_debut}
    if not annuelles:
        return Trajectoire(cible, date_cible, annee_debut, None, None, None, None, None,
                           f"aucune année publiée depuis {annee_debut}")
    derniere = max(annuelles)
    manquantes = [a for a in range(annee_debut, derniere + 1) if a not in annuelles]
    secretes = [a for a in range(annee_debut, derniere + 1)
                if a in annuelles and (annuelles[a][1] == "secret")]
    absentes = manquantes + [a for a in range(annee_debut, derniere + 1)
                             if a in annuelles and a not in secretes
                             and (annuelles[a][1] != "ok" or annuelles[a][0] is None)]
    if secretes or absentes:
        parts = [_annees(secretes, "secrète"), _annees(sorted(absentes), "absente")]
        return Trajectoire(cible, date_cible, annee_debut, derniere, None, None, None, None,
                           " ; ".join(p for p in parts if p))
    cumul = valeur_initiale + sum(annuelles[a][0] for a in range(annee_debut, derniere + 1))
    ecart = cible - cumul
    restants = mois_entre(derniere, date_cible)
    rythme = ecart / restants if restants > 0 and ecart > 0 else None
    return Trajectoire(cible, date_cible, annee_debut, derniere, cumul, ecart, restants, rythme, None)


NIVEAU = "niveau"


def niveau(rows: list[tuple[str, float | None, str | None]], cible: float, date_cible: date,
           annee_debut: int, valeur_initiale: float | None = None) -> Trajectoire:
    """A target on a level (a stock such as ACTIFS, a rate, a median): the latest year published
    (`rows`: periode 'AAAA', valeur, statut) is compared with the target; `ecart` = target − value
    (negative: the series must fall), `rythme_mensuel` the change needed per month. The latest
    year must be `ok` with a value, otherwise the comparison is unknown (its reason in French).
    The start (`depart`) is `valeur_initiale`, else the published value of `annee_debut − 1`."""
    annuelles = {int(p): (v, s) for p, v, s in rows if str(p).isdigit()}
    depart = valeur_initiale
    if depart is None:
        v, s = annuelles.get(annee_debut - 1, (None, "absent"))
        depart = v if s == "ok" else None
    recentes = [a for a in annuelles if a >= annee_debut - 1]
    if not recentes:
        return Trajectoire(cible, date_cible, annee_debut, None, None, None, None, None,
                           f"aucune année publiée depuis {annee_debut - 1}", NIVEAU, depart)
    derniere = max(recentes)
    v, s = annuelles[derniere]
    if s != "ok" or v is None:
        raison = _annees([derniere], "secrète" if s == "secret" else "absente")
        return Trajectoire(cible, date_cible, annee_debut, derniere, None, None, None, None,
                           f"dernière {raison}", NIVEAU, depart)
    ecart = cible - v
    restants = mois_entre(derniere, date_cible)
    atteinte = ecart == 0 or (depart is not None and depart != cible and (cible - depart) * ecart < 0)
    rythme = ecart / restants if restants > 0 and not atteinte else None
    return Trajectoire(cible, date_cible, annee_debut, derniere, v, ecart, restants, rythme, None, NIVEAU, depart)


def atteinte(t: Trajectoire) -> bool:
    """Reached: a cumul at or over its target; a level at the target or past it in the direction
    from its start to the target (a level whose start is unknown is reached only when equal)."""
    if t.ecart is None:
        return False
    if t.nature != NIVEAU:
        return t.ecart <= 0
    return t.ecart == 0 or (t.depart is not None and t.depart != t.cible and (t.cible - t.depart) * t.ecart < 0)


def mois_annee(jour: date) -> str:
    return f"{MOIS[jour.month - 1]} {jour.year}"


def phrase(t: Trajectoire, unite: str = "personnes", decimales: int = 0) -> str:
    """The French sentence shown under the target chart and in the report. `unite` follows each
    number (« personnes », « ménages », « % »); `decimales` for a level's values (a rate: 1)."""
    def n(x: float | None) -> str:
        return f"{nombre(x, decimales)}{NBSP if unite == '%' else ' '}{unite}"

    debut = f"Cible : {n(t.cible)} fin {mois_annee(t.date_cible)}"
    if t.cumul is None:
        quoi = "Valeur de l'observatoire" if t.nature == NIVEAU else "Trajectoire de l'observatoire"
        return f"{debut}. {quoi} inconnue ({t.inconnu}) : écart et rythme non calculés."
    if t.nature == NIVEAU:
        texte = f"{debut} ; valeur publiée par l'observatoire pour {t.derniere_annee} : {n(t.cumul)}"
        if atteinte(t):
            return f"{texte} : cible atteinte."
        sens, mot = ("la réduire", "de moins") if t.ecart < 0 else ("l'augmenter", "de plus")
        unite_ecart = "points" if unite == "%" else unite
        ecart = f"{nombre(abs(t.ecart), decimales)} {unite_ecart}"
        if not t.mois_restants or t.mois_restants <= 0:
            return f"{texte} : il reste à {sens} de {ecart} et la date de la cible est passée."
        return (f"{texte} : il faut {sens} de {ecart} en {t.mois_restants} mois, "
                f"soit {nombre(abs(t.rythme_mensuel), max(decimales, 1))} {mot} par mois.")
    texte = (f"{debut} ; l'observatoire en compte {nombre(t.cumul)} de {t.annee_debut} à {t.derniere_annee}")
    if t.ecart is not None and t.ecart <= 0:
        return f"{texte} : cible atteinte."
    if not t.mois_restants or t.mois_restants <= 0:
        return f"{texte} : il manque {nombre(t.ecart)} {unite} et la date de la cible est passée."
    return (f"{texte} : il reste {nombre(t.ecart)} {unite} en {t.mois_restants} mois, "
            f"soit {nombre(t.rythme_mensuel)} par mois.")


#: The observatory's series followed against the Baromètre's IND-295 target.
SERIE_CIBLE = "BAROMETRE_LDA_PERSONNES"
INDICATEUR_SUIVI = "ATTR_SD_PERS"
#: IND-295 is cumulated since January 2023 (its baseline row is December 2022).
ANNEE_DEBUT_IND_295 = 2023
#: `source` of a target in publication.objectifs.
SOURCE_IND_295 = "Baromètre IND-295"
SOURCE_LOCALE = "objectif local"


def annee_debut(date_initiale: date | None) -> int:
    """The first whole year counted: the year after the initial date (a December: 2022-12 → 2023);
    IND-295's start when the target gives none."""
    return date_initiale.year + 1 if date_initiale is not None else ANNEE_DEBUT_IND_295


def unite(indicateur: str, numerateur: str | None = None) -> str:
    """The noun the sentence counts in: « personnes » for ATTR_SD_PERS (the Baromètre's unit), else
    the catalogue's numerator (« attributions à des ménages sans domicile »)."""
    if indicateur == INDICATEUR_SUIVI:
        return "personnes"
    return numerateur or "unités"


def fin_du_mois(jour: date) -> date:
    """The last day of `jour`'s month (a target « fin décembre 2026 » is plotted on 2026-12-31)."""
    suivant = date(jour.year + (jour.month == 12), jour.month % 12 + 1, 1)
    return date.fromordinal(suivant.toordinal() - 1)


def points(t: Trajectoire, rows: list[tuple[str, float | None, str | None]],
           valeur_initiale: float = 0.0) -> tuple[list[date], list[float | None]]:
    """The observatory's trajectory as dated points. Cumul: the start (1 January of the first year,
    the initial value), then each year's end; from a secret or absent year on, None (the line
    breaks, a later year is never summed over a gap). Niveau: each year's published value at its
    31 December from the year before the start, None where secret or absent."""
    if t.nature == NIVEAU:
        annuelles = {int(p): (v, s) for p, v, s in rows if str(p).isdigit() and int(p) >= t.annee_debut - 1}
        annees = range(t.annee_debut - 1, max(annuelles, default=t.annee_debut - 2) + 1)
        return ([date(a, 12, 31) for a in annees],
                [annuelles[a][0] if a in annuelles and annuelles[a][1] == "ok" else None for a in annees])
    annuelles = {int(p): (v, s) for p, v, s in rows if str(p).isdigit() and int(p) >= t.annee_debut}
    x, y = [date(t.annee_debut, 1, 1)], [valeur_initiale]
    cumul: float | None = valeur_initiale
    for annee in range(t.annee_debut, max(annuelles, default=t.annee_debut - 1) + 1):
        valeur, statut = annuelles.get(annee, (None, "absent"))
        cumul = cumul + valeur if cumul is not None and statut == "ok" and valeur is not None else None
        x.append(date(annee, 12, 31))
        y.append(cumul)
    return x, y


def suivre(ligne: dict, rows: list[tuple[str, float | None, str | None]]) -> Trajectoire:
    """The trajectory of one row of publication.objectifs (`rows`: its indicator's annual cells for
    the territory), by its `nature` (« cumul » when the file predates the column). A file built
    before the column `date_initiale` existed counts from 2023."""
    debut = annee_debut(ligne.get("date_initiale"))
    if ligne.get("nature") == NIVEAU:
        return niveau(rows, ligne["valeur_cible"], ligne["date_cible"], debut, ligne.get("valeur_initiale"))
    return trajectoire(rows, ligne["valeur_cible"], ligne["date_cible"], debut, ligne.get("valeur_initiale") or 0.0)


def titre(ligne: dict) -> str:
    """The heading of a target: the Baromètre's, or the coordinator's label."""
    if ligne.get("source", SOURCE_IND_295) == SOURCE_LOCALE:
        return f"Objectif local : {ligne.get('libelle') or ligne.get('indicateur')}"
    return "Objectif du Logement d'abord"


def decimales_cible(unite_catalogue: str | None) -> int:
    """Whole numbers for counts and days, one decimal for rates and ratios (the catalogue's unit)."""
    return 0 if unite_catalogue in (None, "nombre", "jours") else 1


def mot_unite(ligne: dict, numerateur: str | None = None, unite_catalogue: str | None = None) -> str:
    """The unit written after each number of a target's sentence: « % » for a level target on a
    rate, else `unite()`'s noun."""
    if ligne.get("nature") == NIVEAU and unite_catalogue == "%":
        return "%"
    return unite(ligne.get("indicateur") or INDICATEUR_SUIVI, numerateur)


def phrase_ligne(ligne: dict, rows: list[tuple[str, float | None, str | None]], numerateur: str | None = None,
                 unite_catalogue: str | None = None) -> str:
    """The sentence of one target with its source, as the app and the report print it."""
    indicateur = ligne.get("indicateur") or INDICATEUR_SUIVI
    texte = phrase(suivre(ligne, rows), mot_unite(ligne, numerateur, unite_catalogue),
                   decimales_cible(unite_catalogue) if ligne.get("nature") == NIVEAU else 0)
    if ligne.get("source", SOURCE_IND_295) == SOURCE_LOCALE:
        return f"{texte} (objectif local, {indicateur} : {ligne.get('libelle') or 'sans libellé'})"
    return f"{texte} (cible du Baromètre des résultats, IND-295)"
