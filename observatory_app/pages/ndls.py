"""Nuits de la Solidarité: people counted per edition, of whom in the street, constant-perimeter change, rate."""

import polars as pl
import streamlit as st

from observatory_app import charts, commun, data
from observatoire_commun import format as fr

TYPES = {
    "territoire_lda": "Territoire Logement d'abord",
    "departement": "Département",
    "region": "Région",
    "groupe": "Groupe",
    "france": "France",
}
COLONNES = {
    "NDLS_PERS": ("Personnes sans abri décomptées", "nombre"),
    "NDLS_PERS_RUE": ("dont dans la rue", "nombre"),
    "NDLS_EVOL_PC": ("Évolution à périmètre constant", "%"),
    "NDLS_TAUX": ("Pour 10 000 habitants", "pour 10 000 habitants"),
}

st.title("Nuits de la Solidarité")
st.write(
    "Les villes et territoires qui organisent une Nuit de la Solidarité décomptent, une nuit par an, "
    "les personnes sans abri. Pour chaque édition : le total décompté, dont les personnes dans la rue, "
    "l'évolution à périmètre constant et le taux pour 10 000 habitants."
)
st.info(
    "Les totaux bruts de deux éditions ou de deux territoires ne sont jamais comparés entre eux : le "
    "périmètre couvert (secteurs, lieux ouverts, équipes) change d'une édition à l'autre. Seule "
    "l'évolution à périmètre constant, calculée sur les secteurs couverts les deux années, mesure une "
    "variation.",
    icon="ℹ️",
)

chemin, version = commun.publication()
synthetique = commun.bandeau(chemin, version)

cellules = data.ndls(chemin, version).filter(pl.col("territoire_type").is_in(list(TYPES)))
if cellules.is_empty():
    st.info("Aucune donnée des Nuits de la Solidarité dans ce fichier de publication.")
    st.stop()

territoires = cellules.select("territoire_type", "territoire_code", "territoire_libelle").unique()
libelles = {
    f"{t}|{c}": lib if t in ("france", "groupe") else f"{lib} ({TYPES[t].lower()}{'' if t == 'territoire_lda' else ' ' + c})"
    for t, c, lib in territoires.iter_rows()
}
ordre = {t: i for i, t in enumerate(TYPES)}
options = sorted(libelles, key=lambda cle: (ordre[cle.split("|")[0]], libelles[cle]))
choix = st.selectbox("Territoire", options, format_func=libelles.__getitem__, key="territoire")
territoire_type, territoire_code = choix.split("|", 1)
sous = cellules.filter((pl.col("territoire_type") == territoire_type) & (pl.col("territoire_code") == territoire_code))

editions = sorted(sous.filter(pl.col("statut") != "absent")["periode"].unique().to_list(), reverse=True)
lignes = []
for edition in editions:
    ligne = {"Édition": edition}
    for code, (nom, unite) in COLONNES.items():
        cellule = sous.filter((pl.col("periode") == edition) & (pl.col("indicateur") == code))
        if cellule.is_empty():
            ligne[nom] = fr.ABSENT
            continue
        valeur, statut = cellule["valeur"][0], cellule["statut"][0]
        if code == "NDLS_EVOL_PC" and statut == "ok" and valeur is not None:
            ligne[nom] = fr.evolution_pc(valeur)
        else:
            ligne[nom] = fr.valeur(valeur, statut, unite)
    lignes.append(ligne)

st.subheader(f"Éditions — {libelles[choix]}")
if territoire_type in ("france", "groupe", "region", "departement"):
    st.warning(
        f"« {territoires.filter((pl.col('territoire_type') == territoire_type) & (pl.col('territoire_code') == territoire_code))['territoire_libelle'][0]} » "
        "est ici la somme des villes ayant organisé une Nuit de la Solidarité sur ce territoire, pas le "
        "décompte de tout le territoire ; les villes comptées changent d'une édition à l'autre.",
        icon="⚠️",
    )
st.dataframe(pl.DataFrame(lignes), hide_index=True, width="stretch")
st.caption(
    "Source : Nuits de la Solidarité (décomptes des villes). L'évolution compare l'édition à la "
    "précédente sur les seuls secteurs couverts les deux années. " + commun.texte_secret(chemin, version)
)

st.plotly_chart(charts.ndls_evolutions(sous, libelles[choix], synthetique), width="stretch")
st.caption(
    "Le graphique montre l'évolution à périmètre constant de chaque édition, jamais les totaux bruts "
    "(leurs périmètres diffèrent). Les éditions sans évolution publiée (première édition, secret "
    "statistique) sont laissées vides, jamais à zéro."
)
