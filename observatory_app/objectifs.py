"""The target section of Vue nationale and Fiche territoire (Streamlit): the chart and the sentence.
The computations (trajectory, gap, pace, sentence) are in `observatoire_commun/objectifs.py`, shared
with the annual report.
"""

from __future__ import annotations

from datetime import date

from observatoire_commun.objectifs import (  # noqa: F401  (re-exported: one computation)
    ANNEE_DEBUT_IND_295,
    INDICATEUR_SUIVI,
    MOIS,
    SERIE_CIBLE,
    SOURCE_IND_295,
    SOURCE_LOCALE,
    Trajectoire,
    fin_du_mois,
    mois_annee,
    NIVEAU,
    decimales_cible,
    mois_entre,
    mot_unite,
    phrase,
    points,
    suivre,
    titre,
    trajectoire,
    unite,
)
from observatoire_commun.format import nombre


def objectifs(chemin: str, territoire_type: str, territoire_code: str) -> list[dict]:
    """The rows of publication.objectifs for the territory (IND-295 first, then the local targets);
    none when the publication file was built before the table existed."""
    from observatory_app import data

    existe = data._requete(
        chemin,
        "select count(*) as n from duckdb_tables() where database_name = 'pub' and schema_name = 'publication' "
        "and table_name = 'objectifs'",
    )
    if existe["n"][0] == 0:
        return []
    lignes = data._requete(
        chemin,
        "select * from publication.objectifs where territoire_type = $t and territoire_code = $c "
        "order by serie <> $serie, serie, date_cible",
        {"serie": SERIE_CIBLE, "t": territoire_type, "c": territoire_code},
    )
    return list(lignes.iter_rows(named=True))


def objectif(chemin: str, territoire_type: str, territoire_code: str, serie: str = SERIE_CIBLE) -> dict | None:
    """The row of publication.objectifs for the territory and the series, or None."""
    return next((ligne for ligne in objectifs(chemin, territoire_type, territoire_code) if ligne["serie"] == serie),
                None)


def figure(t: Trajectoire, rows: list[tuple[str, float | None, str | None]], titre: str, note: str,
           valeur_initiale: float = 0.0, nom_serie: str = "Observatoire (ATTR_SD_PERS cumulé)",
           unite_axe: str = "personnes"):
    """The observatory's trajectory (cumul: whole years summed since the start; niveau: each year's
    published value; secret or absent years break the line) and the straight line from the start
    to the target, on a time axis (real dates: the dashed line is to scale). A level target whose
    start is unknown gets no dashed line, only the target's point."""
    import plotly.graph_objects as go

    x, y = points(t, rows, valeur_initiale)
    fig = go.Figure()
    fig.add_scatter(x=x, y=y, mode="lines+markers", name=nom_serie)
    if t.nature == NIVEAU:
        depart_x, depart_y = date(t.annee_debut - 1, 12, 31), t.depart
    else:
        depart_x, depart_y = date(t.annee_debut, 1, 1), valeur_initiale
    if depart_y is None:
        fig.add_scatter(x=[fin_du_mois(t.date_cible)], y=[t.cible], mode="markers", name="Cible")
    else:
        fig.add_scatter(x=[depart_x, fin_du_mois(t.date_cible)], y=[depart_y, t.cible],
                        mode="lines+markers", line={"dash": "dash"}, name="Trajectoire régulière vers la cible")
    fig.update_layout(
        title={"text": f"{titre}<br><sup>{note}</sup>"}, separators=", ",
        xaxis={"type": "date", "title": "", "tickformat": "%d/%m/%Y", "dtick": "M12"},
        yaxis={"title": unite_axe, "rangemode": "tozero", "tickformat": ",~f"},
        legend={"orientation": "h", "y": -0.2}, margin={"t": 90},
    )
    return fig


def afficher(chemin: str, territoire_type: str, territoire_code: str, libelle: str, synthetique: bool,
             version: float | None = None) -> None:
    """The target sections (the Baromètre's, then each local target): chart and sentence; nothing
    when the territory has no target."""
    import streamlit as st

    from observatory_app import charts, data

    lignes = objectifs(chemin, territoire_type, territoire_code)
    if not lignes:
        return
    catalogue = {r["code"]: r for r in data.catalogue(chemin, version).iter_rows(named=True)}
    for ligne in lignes:
        indicateur = ligne.get("indicateur") or INDICATEUR_SUIVI
        serie = data.serie(chemin, indicateur, ((territoire_type, territoire_code),), version)
        rows = [(p, v, s) for p, v, s in serie.select("periode", "valeur", "statut").rows()]
        t = suivre(ligne, rows)
        info = catalogue.get(indicateur, {})
        mot = mot_unite(ligne, info.get("numerateur"), info.get("unite"))
        st.subheader(titre(ligne))
        source_note = info.get("source") or "sne"
        if t.nature == NIVEAU:
            quoi, nom, debut = "valeur annuelle et cible", f"Observatoire ({indicateur})", t.annee_debut - 1
        else:
            quoi = f"cumul depuis le 1er janvier {t.annee_debut} et cible"
            nom, debut = f"Observatoire ({indicateur} cumulé)", t.annee_debut
        st.plotly_chart(
            figure(t, rows, f"{info.get('libelle', indicateur)} : {quoi}, {libelle}",
                   charts.note(source_note, f"{debut}–{ligne['date_cible'].year}", synthetique),
                   ligne.get("valeur_initiale") or 0.0, nom, mot),
            width="stretch",
        )
        st.markdown(phrase(t, mot, decimales_cible(info.get("unite")) if t.nature == NIVEAU else 0))
        if ligne.get("source", SOURCE_IND_295) == SOURCE_LOCALE:
            st.caption(f"Objectif local déclaré dans data/config/objectifs.csv : {ligne.get('libelle') or '—'}.")
        elif ligne.get("valeur_actuelle") is not None and ligne.get("taux_avancement") is not None:
            st.caption(
                f"Cible et taux d'avancement publiés par le Baromètre des résultats (IND-295) : "
                f"{nombre(ligne['valeur_actuelle'])} personnes fin {mois_annee(ligne['date_actuelle'])}, "
                f"soit {nombre(ligne['taux_avancement'], 1)} % de la cible."
            )
        else:
            st.caption("Cible publiée par le Baromètre des résultats (IND-295).")
