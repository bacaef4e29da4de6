"""The target section of Vue nationale and Fiche territoire (Streamlit): the chart and the sentence.
The computations (trajectory, gap, pace, sentence) are in `observatoire_commun/objectifs.py`, shared
with the annual report.
"""

from __future__ import annotations

from datetime import date  # noqa: F401

from observatoire_commun.objectifs import (  # noqa: F401  (re-exported: one computation)
    ANNEE_DEBUT_IND_295,
    INDICATEUR_SUIVI,
    MOIS,
    SERIE_CIBLE,
    Trajectoire,
    mois_annee,
    mois_entre,
    phrase,
    trajectoire,
)
from observatory_app.format import nombre


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
