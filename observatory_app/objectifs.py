"""A territory's trajectory against its target: the observatory's own annual series (e.g.
`ATTR_SD_PERS`) cumulated since the target's start, the remaining gap, and the monthly pace needed
to reach the target by its date. A sum over a secret or absent year is never made: the trajectory
is then unknown, and the sentence says why.

Pure functions (no Streamlit): the pages and the report call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from observatory_app.format import nombre

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


def mois_annee(jour: date) -> str:
    return f"{MOIS[jour.month - 1]} {jour.year}"


def phrase(t: Trajectoire, unite: str = "personnes") -> str:
    """The French sentence shown under the target chart and in the report."""
    debut = f"Cible : {nombre(t.cible)} {unite} fin {mois_annee(t.date_cible)}"
    if t.cumul is None:
        return f"{debut}. Trajectoire de l'observatoire inconnue ({t.inconnu}) : écart et rythme non calculés."
    texte = (f"{debut} ; l'observatoire en compte {nombre(t.cumul)} de {t.annee_debut} à {t.derniere_annee}")
    if t.ecart is not None and t.ecart <= 0:
        return f"{texte} : cible atteinte."
    if not t.mois_restants or t.mois_restants <= 0:
        return f"{texte} : il manque {nombre(t.ecart)} {unite} et la date de la cible est passée."
    return (f"{texte} : il reste {nombre(t.ecart)} {unite} en {t.mois_restants} mois, "
            f"soit {nombre(t.rythme_mensuel)} par mois.")


# --- Streamlit section (Vue nationale, Fiche territoire) -------------------------------------

#: The observatory's series followed against the Baromètre's IND-295 target.
SERIE_CIBLE = "BAROMETRE_LDA_PERSONNES"
INDICATEUR_SUIVI = "ATTR_SD_PERS"
#: IND-295 is cumulated since January 2023 (its baseline row is December 2022).
ANNEE_DEBUT_IND_295 = 2023


def objectif(chemin: str, territoire_type: str, territoire_code: str, serie: str = SERIE_CIBLE) -> dict | None:
    """The row of publication.objectifs for the territory, or None (no such row, or a publication
    file built before the table existed)."""
    from observatory_app import data

    existe = data._requete(
        chemin,
        "select count(*) as n from duckdb_tables() where database_name = 'pub' and schema_name = 'publication' "
        "and table_name = 'objectifs'",
    )
    if existe["n"][0] == 0:
        return None
    lignes = data._requete(
        chemin,
        "select * from publication.objectifs where serie = $serie and territoire_type = $t and territoire_code = $c",
        {"serie": serie, "t": territoire_type, "c": territoire_code},
    )
    return lignes.row(0, named=True) if lignes.height else None


def figure(t: Trajectoire, rows: list[tuple[str, float | None, str | None]], titre: str, note: str):
    """Cumulated trajectory of the observatory (whole years, secret years break the line) and the
    straight line from the start to the target."""
    import plotly.graph_objects as go

    x, y, cumul = [], [], 0.0
    for periode, valeur, statut in sorted(rows):
        if not str(periode).isdigit() or int(periode) < t.annee_debut:
            continue
        if statut != "ok" or valeur is None or cumul is None:
            cumul = None
        else:
            cumul += valeur
        x.append(f"fin {periode}")
        y.append(cumul)
    fig = go.Figure()
    fig.add_scatter(x=x, y=y, mode="lines+markers", name="Observatoire (ATTR_SD_PERS cumulé)")
    fig.add_scatter(x=[f"début {t.annee_debut}", mois_annee(t.date_cible)], y=[0, t.cible], mode="lines",
                    line={"dash": "dash"}, name="Trajectoire vers la cible du Baromètre")
    fig.update_layout(
        title={"text": f"{titre}<br><sup>{note}</sup>"}, separators=", ",
        xaxis={"type": "category", "title": "", "categoryorder": "array",
               "categoryarray": [f"début {t.annee_debut}", *x, mois_annee(t.date_cible)]},
        yaxis={"title": "personnes", "rangemode": "tozero", "tickformat": ",~f"},
        legend={"orientation": "h", "y": -0.2}, margin={"t": 90},
    )
    return fig


def afficher(chemin: str, territoire_type: str, territoire_code: str, libelle: str, synthetique: bool,
             version: float | None = None) -> None:
    """The target section: chart and sentence; nothing when the territory has no target."""
    import streamlit as st

    from observatory_app import charts, data

    ligne = objectif(chemin, territoire_type, territoire_code)
    if ligne is None:
        return
    serie = data.serie(chemin, INDICATEUR_SUIVI, ((territoire_type, territoire_code),), version)
    rows = [(p, v, s) for p, v, s in serie.select("periode", "valeur", "statut").rows()]
    annee_debut = ANNEE_DEBUT_IND_295
    t = trajectoire(rows, ligne["valeur_cible"], ligne["date_cible"], annee_debut, ligne["valeur_initiale"] or 0.0)
    st.subheader("Objectif du Logement d'abord")
    st.plotly_chart(
        figure(t, rows, f"Personnes relogées depuis {annee_debut} et cible, {libelle}",
               charts.note("sne", f"{annee_debut}–{ligne['date_cible'].year}", synthetique)),
        width="stretch",
    )
    st.markdown(phrase(t))
    st.caption(
        f"Cible et taux d'avancement publiés par le Baromètre des résultats (IND-295) : "
        f"{nombre(ligne['valeur_actuelle'])} personnes fin {mois_annee(ligne['date_actuelle'])}, "
        f"soit {nombre(ligne['taux_avancement'], 1)} % de la cible."
        if ligne.get("valeur_actuelle") is not None and ligne.get("taux_avancement") is not None else
        "Cible publiée par le Baromètre des résultats (IND-295)."
    )
