"""Déposer un export: check a CSV with the ingestion code, then copy it into the landing folder."""

import polars as pl
import streamlit as st

from observatory_app import depot

st.title("Déposer un export")
st.write(
    "Déposez un export CSV d'une source (SI-SIAO, SNE, Nuit de la Solidarité, offre). Il est vérifié "
    "avec les mêmes règles que l'ingestion ; un fichier sans problème peut ensuite être déposé dans "
    "le dossier de dépôt, d'où le pipeline le reprendra."
)
st.caption(
    "Noms attendus : `siao_<département>_<AAAA-MM>.csv`, `sne_attributions_<AAAA>.csv`, "
    "`sne_demandes_<AAAA>.csv`, `ndls_<commune>_<AAAA>.csv`, `offre_<AAAA>.csv`. "
    f"Taille maximale : {depot.TAILLE_MAX_MO} Mo."
)

fichier = st.file_uploader("Export CSV", type=["csv"], accept_multiple_files=False, key="export")
if fichier is None:
    st.stop()

verifier = st.cache_data(max_entries=2, show_spinner="Vérification du fichier…")(depot.verifier)  # not redone on each click

contenu = fichier.getvalue()
try:
    verification = verifier(fichier.name, contenu)
except depot.DepotRefuse as exc:
    st.error(str(exc))
    st.stop()

if verification.code == 2:
    st.error("Le fichier ne peut pas être vérifié.")
elif verification.problemes or not verification.propre:
    st.error(f"{len(verification.problemes)} problème(s) trouvé(s) : corrigez le fichier avant de le déposer.")
else:
    st.success("Aucun problème : toutes les lignes sont conformes au contrat.")

if verification.problemes:
    st.dataframe(
        pl.DataFrame(verification.problemes, schema={"ligne": pl.Int64, "colonne": pl.String, "regle": pl.String, "message": pl.String})
        .rename({"ligne": "Ligne", "colonne": "Colonne", "regle": "Règle", "message": "Message"}),
        hide_index=True,
        width="stretch",
    )
with st.expander("Rapport complet", expanded=not verification.propre):
    st.code(verification.rapport, language=None)

if verification.propre:
    landing = depot.landing()
    try:
        destination = depot.cible(verification.nom, landing)
    except depot.DepotRefuse as exc:
        st.error(str(exc))
        st.stop()
    st.caption(f"Destination : `{destination}`")
    if st.button("Déposer dans le dossier de dépôt", type="primary", key="deposer"):
        try:
            chemin = depot.deposer(verification.nom, contenu, landing)
        except depot.DepotRefuse as exc:
            st.error(str(exc))
        else:
            st.success(f"Fichier déposé : `{chemin}`")
