"""Méthodologie: one entry per indicator, generated from publication.catalogue, and the secret rule."""

import polars as pl
import streamlit as st

from observatoire_commun.presentation import SECTIONS
from observatory_app import charts, commun, data

st.title("Méthodologie")
st.write("Chaque indicateur publié, tel que le définit le catalogue utilisé par les calculs.")

chemin, version = commun.publication()
commun.bandeau(chemin, version)

st.subheader("Secret statistique")
st.write(commun.texte_secret(chemin, version))

catalogue = data.catalogue(chemin, version)
for section in catalogue["section"].unique(maintain_order=True).to_list():
    st.header(f"{section} — {SECTIONS.get(section, 'Autres indicateurs')}")
    for ligne in catalogue.filter(pl.col("section") == section).iter_rows(named=True):
        with st.expander(f"{ligne['code']} — {ligne['libelle']}"):
            st.markdown(
                "\n".join(
                    [
                        f"**Définition** : {ligne['definition'] or '—'}",
                        "",
                        f"- **Unité** : {ligne['unite'] or '—'}",
                        f"- **Numérateur** : {ligne['numerateur'] or '—'}",
                        f"- **Dénominateur** : {ligne['denominateur'] or '—'}",
                        f"- **Source** : {charts.libelle_source(ligne['source'])}",
                        f"- **Périodicité** : {ligne['periodicite'] or '—'}",
                    ]
                )
            )
