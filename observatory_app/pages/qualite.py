"""Qualité des données: freshness of each source, files refused whole (with their reason), rows read /
accepted / quarantined / skipped by source, lot and rule (secret counts « s »), expectation results."""

import pandas as pd
import polars as pl
import streamlit as st

from observatoire_commun import presentation
from observatory_app import charts, commun, data
from observatoire_commun import format as fr

st.title("Qualité des données")
st.write("Ce que l'ingestion a lu, accepté et mis en quarantaine pour chaque source, et le résultat des contrôles automatiques sur les tables publiées.")

chemin, version = commun.publication()
commun.bandeau(chemin, version)
infos = data.a_propos(chemin, version)
if "date_construction" in infos:
    st.caption(f"Fichier de publication construit le {fr.horodatage_iso(infos['date_construction'])} (heure de Paris).")

def effectif(valeur) -> str:
    """A count of the quality table: « s » when suppressed (secret statistique), never 0 or « — »."""
    return fr.SECRET if valeur is None else fr.nombre(valeur)


def libelle_source(code: str) -> str:
    return charts.SOURCES.get(code, code)


def libelle_regle(code: str | None) -> str:
    texte = presentation.libelle_regle(code)
    return texte[:1].upper() + texte[1:]


st.subheader("Fraîcheur des données")
fraicheur = data.fraicheur(chemin, version)
if fraicheur.is_empty():
    st.info("Aucun fichier chargé.")
else:
    st.dataframe(
        pd.DataFrame([
            {
                "Source": libelle_source(ligne["source"]),
                "Fichiers chargés": fr.nombre(ligne["fichiers"]),
                "Fichiers refusés": fr.nombre(ligne["fichiers_refuses"]),
                "Dernier chargement": fr.horodatage(ligne["derniere_ingestion"]),
                "Dernière année publiée": ligne["derniere_annee"] or fr.ABSENT,
            }
            for ligne in fraicheur.iter_rows(named=True)
        ]),
        hide_index=True,
        width="stretch",
    )
    st.caption("Dernier chargement : date du fichier le plus récemment chargé dans l'entrepôt (heure de Paris). "
               "Dernière année publiée : la plus récente année ayant au moins une valeur publiée ou secrète.")

st.subheader("Fichiers refusés en entier")
refuses = data.fichiers_refuses(chemin, version)
if refuses.is_empty():
    st.success("Aucun fichier refusé : tous les fichiers déposés ont été chargés.")
else:
    st.error(f"{fr.nombre(refuses.height)} fichier(s) refusé(s) en entier : aucune de leurs lignes n'est chargée. "
             "Corrigez le fichier (ou son nom) et déposez-le à nouveau.")
    st.dataframe(
        pd.DataFrame([
            {
                "Source": libelle_source(ligne["source"]),
                "Fichier": ligne["file_name"],
                "Motif du refus": ligne["motif"] or fr.ABSENT,
                "Tentative de chargement": fr.horodatage(ligne["ingested_at"]),
            }
            for ligne in refuses.iter_rows(named=True)
        ]),
        hide_index=True,
        width="stretch",
    )

st.subheader("Lignes par source")
sources = data.qualite_par_source(chemin, version)
st.dataframe(
    pd.DataFrame([
        {
            "Source": libelle_source(ligne["source"]),
            "Fichiers": fr.nombre(ligne["fichiers"]),
            "Lignes lues": effectif(ligne["rows_read"]),
            "Lignes acceptées": effectif(ligne["rows_accepted"]),
            "Lignes en quarantaine": effectif(ligne["rows_quarantined"]),
            "Lignes ignorées": effectif(ligne["rows_skipped"]),
        }
        for ligne in sources.iter_rows(named=True)
    ], columns=["Source", "Fichiers", "Lignes lues", "Lignes acceptées", "Lignes en quarantaine", "Lignes ignorées"]),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Lignes lues = acceptées + en quarantaine + ignorées. Ignorées : lignes lues mais ni chargées ni fautives "
    "(lignes vides, ligne finale « Total », lignes du Baromètre hors des séries suivies). Les fichiers refusés "
    "en entier ne sont pas comptés ici : ils sont listés ci-dessus avec leur motif. « s » : effectif couvert "
    "par le secret statistique (un petit lot de fichiers permettrait de retrouver une case masquée)."
)
with st.expander("Détail par lot de fichiers (source et année)"):
    lots = data.qualite_par_lot(chemin, version)
    st.dataframe(
        pd.DataFrame([
            {
                "Source": libelle_source(ligne["source"]),
                "Lot": ligne["lot"],
                "Fichiers": fr.nombre(ligne["fichiers"]),
                "Lignes lues": effectif(ligne["rows_read"]),
                "Lignes acceptées": effectif(ligne["rows_accepted"]),
                "Lignes en quarantaine": effectif(ligne["rows_quarantined"]),
                "Lignes ignorées": effectif(ligne["rows_skipped"]),
            }
            for ligne in lots.iter_rows(named=True)
        ]),
        hide_index=True,
        width="stretch",
    )

st.subheader("Lignes en quarantaine par règle")
regles = data.qualite_par_regle(chemin, version)
if regles.is_empty():
    st.success("Aucune ligne mise en quarantaine.")
else:
    st.dataframe(
        pd.DataFrame([
            {
                "Source": libelle_source(ligne["source"]),
                "Règle": libelle_regle(ligne["rule"]),
                "Lignes": effectif(ligne["n"]),
            }
            for ligne in regles.iter_rows(named=True)
        ]),
        hide_index=True,
        width="stretch",
    )

st.subheader("Contrôles des tables publiées")
controles = data.controles(chemin, version)
echecs = controles.filter(~pl.col("success")).height
if controles.is_empty():
    st.info("Aucun contrôle enregistré.")
elif echecs:
    st.error(f"{echecs} contrôle(s) en échec sur {controles.height}.")
else:
    st.success(f"Les {controles.height} contrôles sont réussis.")
st.dataframe(
    controles.select(
        pl.col("suite").map_elements(presentation.libelle_suite, return_dtype=pl.String).alias("Suite"),
        pl.col("expectation").alias("Contrôle"),
        pl.col("table_name").alias("Table"),
        pl.when(pl.col("success")).then(pl.lit("réussi")).otherwise(pl.lit("échec")).alias("Résultat"),
        pl.col("observed").alias("Observé"),
        pl.col("details").alias("Détails"),
        pl.col("run_at").map_elements(fr.horodatage, return_dtype=pl.String).alias("Exécuté le (heure de Paris)"),
    ),
    hide_index=True,
    width="stretch",
)
