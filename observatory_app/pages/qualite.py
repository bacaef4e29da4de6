"""Qualité des données: freshness of each source, rows read / accepted / quarantined by source and
by rule, expectation results."""

import polars as pl
import streamlit as st

from observatory_app import charts, commun, data
from observatory_app import format as fr

st.title("Qualité des données")
st.write("Ce que l'ingestion a lu, accepté et mis en quarantaine pour chaque source, et le résultat des contrôles automatiques sur les tables publiées.")

chemin, version = commun.publication()
commun.bandeau(chemin, version)
infos = data.a_propos(chemin, version)
if "date_construction" in infos:
    st.caption(f"Fichier de publication construit le {fr.horodatage_iso(infos['date_construction'])} (heure de Paris).")

st.subheader("Fraîcheur des données")
fraicheur = data.fraicheur(chemin, version)
if fraicheur.is_empty():
    st.info("Aucun fichier chargé.")
else:
    st.dataframe(
        fraicheur.select(
            pl.col("source").replace_strict(charts.SOURCES, default=pl.col("source")).alias("Source"),
            pl.col("fichiers").map_elements(fr.nombre, return_dtype=pl.String).alias("Fichiers chargés"),
            pl.col("derniere_ingestion").map_elements(fr.horodatage, return_dtype=pl.String).alias("Dernier chargement"),
            pl.col("derniere_annee").fill_null(fr.ABSENT).alias("Dernière année publiée"),
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption("Dernier chargement : date du fichier le plus récemment chargé dans l'entrepôt (heure de Paris). "
               "Dernière année publiée : la plus récente année ayant au moins une valeur publiée ou secrète.")

st.subheader("Lignes par source")
sources = data.qualite_par_source(chemin, version)
st.dataframe(
    sources.select(
        pl.col("source").replace_strict(charts.SOURCES, default=pl.col("source")).alias("Source"),
        pl.col("fichiers").map_elements(fr.nombre, return_dtype=pl.String).alias("Fichiers"),
        pl.col("rows_read").map_elements(fr.nombre, return_dtype=pl.String).alias("Lignes lues"),
        pl.col("rows_accepted").map_elements(fr.nombre, return_dtype=pl.String).alias("Lignes acceptées"),
        pl.col("rows_quarantined").map_elements(fr.nombre, return_dtype=pl.String).alias("Lignes en quarantaine"),
        (pl.col("rows_read") - pl.col("rows_accepted") - pl.col("rows_quarantined"))
        .map_elements(fr.nombre, return_dtype=pl.String).alias("Lignes écartées"),
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Lignes lues = acceptées + en quarantaine + écartées. Écartées : lignes lues mais non retenues sans être "
    "fautives (par exemple les lignes de synthèse ou de niveaux non utilisés des fichiers du Baromètre) ; "
    "le fichier de publication n'en donne pas le détail par motif. Les fichiers refusés en entier (nom ou "
    "colonnes non conformes) ne sont pas encore dans le fichier de publication : voir le journal de l'ingestion."
)

st.subheader("Lignes en quarantaine par règle")
regles = data.qualite_par_regle(chemin, version)
if regles.is_empty():
    st.success("Aucune ligne mise en quarantaine.")
else:
    st.dataframe(
        regles.select(
            pl.col("source").alias("Source"),
            pl.col("rule").map_elements(fr.regle, return_dtype=pl.String).alias("Règle"),
            pl.col("n").map_elements(fr.nombre, return_dtype=pl.String).alias("Lignes"),
        ),
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
        pl.col("suite").alias("Suite"),
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
