"""Classement des territoires: every Logement d'abord territory × one indicator, sortable, with its
yearly series (sparkline) and the territories furthest from their trajectory marked."""

import polars as pl
import streamlit as st

from observatory_app import charts, commun, data
from observatory_app import format as fr

st.title("Classement des territoires")
st.write("Les territoires Logement d'abord pour un indicateur et une année ; cliquez sur un en-tête de colonne pour trier.")

chemin, version = commun.publication()
synthetique = commun.bandeau(chemin, version)

catalogue = data.catalogue(chemin, version)
codes = catalogue["code"].to_list()
libelles = dict(zip(codes, catalogue["libelle"].to_list()))
unites = dict(zip(codes, catalogue["unite"].to_list()))
sources = dict(zip(codes, catalogue["source"].to_list()))
g, d = st.columns([3, 1])
indicateur = g.selectbox(
    "Indicateur", codes, index=codes.index("TX_ATTR_SD") if "TX_ATTR_SD" in codes else 0,
    format_func=lambda c: f"{libelles[c]} ({c})", key="indicateur",
)
derniere = data.derniere_annee_complete(chemin, "FR", version)
if derniere is None:
    st.info("Aucune année publiée.")
    st.stop()
annee = d.selectbox("Année", [str(a) for a in range(derniere, 2014, -1)], key="annee")

df = data.classement(chemin, indicateur, annee, version)
unite = unites[indicateur]
trajectoires = data.trajectoires(chemin, indicateur, annee, version)
df = df.join(trajectoires.select("territoire_code", "annee_reference", "serie", "ecart"), on="territoire_code", how="left")
N_SIGNALES = 5
signales = set(
    df.filter(pl.col("ecart").is_not_null()).sort(pl.col("ecart").abs(), descending=True)
    .head(N_SIGNALES)["territoire_code"].to_list()
)
decimales = fr.decimales_pour(unite)
tableau = df.select(
    pl.when(pl.col("territoire_code").is_in(list(signales))).then(pl.lit("⚠")).otherwise(pl.lit("")).alias("Écart marqué"),
    pl.col("territoire_libelle").alias("Territoire"),
    pl.col("ami").cast(pl.Int64).cast(pl.String).alias("Appel"),
    pl.col("nature").alias("Nature"),
    pl.when(pl.col("statut") == "ok").then(pl.col("valeur").round(decimales)).alias("Valeur"),
    pl.col("statut").replace_strict({"ok": "publiée", "secret": "s (secret)", "absent": "— (absente)"}, default="— (absente)").alias("Statut"),
    pl.when((pl.col("statut") == "ok") & (pl.col("statut_precedent") == "ok"))
    .then((pl.col("valeur") - pl.col("valeur_precedente")).round(decimales))
    .alias(f"Évolution depuis {int(annee) - 1}"),
    pl.col("serie").alias("Série"),
    pl.col("ecart").round(decimales + 1).alias("Écart à la trajectoire"),
)
st.dataframe(
    tableau,
    hide_index=True,
    width="stretch",
    column_config={
        "Valeur": st.column_config.NumberColumn(f"Valeur ({unite})", format="localized"),
        f"Évolution depuis {int(annee) - 1}": st.column_config.NumberColumn(format="localized"),
        "Appel": st.column_config.TextColumn("Appel"),
        "Série": st.column_config.LineChartColumn("Série annuelle (valeurs publiées)", width="medium"),
        "Écart à la trajectoire": st.column_config.NumberColumn(
            f"Écart à la trajectoire ({unite})", format="localized",
            help="Évolution du territoire depuis son année de référence (l'année précédant son appel) moins celle "
                 "du reste de la France sur la même période.",
        ),
        "Écart marqué": st.column_config.TextColumn("", width="small"),
    },
)
st.caption(
    commun.texte_secret(chemin, version)
    + " Les cases secrètes ou absentes sont vides dans la colonne Valeur et triées en dernier. "
    + f"⚠ : les {len(signales)} territoires les plus éloignés de leur trajectoire en {annee}, c'est-à-dire de la "
    "valeur qu'ils auraient eue en évoluant comme le reste de la France depuis leur année de référence "
    "(écart positif : au-dessus, négatif : en dessous). Sans valeur publiée l'année de référence ou cette année, "
    "pas d'écart. Une comparaison descriptive, non causale."
)
st.plotly_chart(
    charts.classement_barres(df, libelles[indicateur], unite, sources[indicateur], annee, synthetique),
    width="stretch",
)
