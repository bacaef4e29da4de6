"""Déposer un export: check a CSV with the ingestion code, then copy it into the landing folder."""

import polars as pl
import streamlit as st

from assets.ingest.naming import expected_names
from observatory_app import depot

st.title("Déposer un export")
st.write(
    "Déposez un export CSV d'une source (SI-SIAO, SNE, Nuit de la Solidarité, offre). Il est vérifié "
    "avec les mêmes règles que l'ingestion ; un fichier sans problème peut ensuite être déposé dans "
    "le dossier de dépôt, d'où le pipeline le reprendra."
)
st.caption(
    # the ingestion's own list (assets.ingest.naming): a name accepted here is a name the pipeline loads
    f"Noms attendus, à la lettre près (minuscules, extension .csv) : {expected_names()}. "
    f"Taille maximale : {depot.TAILLE_MAX_MO} Mo."
)

if not depot.jeton_configure():
    st.info(
        "Le dépôt est désactivé : il est réservé aux coordinateurs et aucun jeton de dépôt n'est "
        f"configuré sur ce serveur (variable d'environnement `{depot.VARIABLE_JETON}`). Adressez vos "
        "exports à l'équipe de données de l'observatoire."
    )
    st.stop()
jeton = st.text_input("Jeton de dépôt (coordinateurs)", type="password", key="jeton")
if not jeton:
    st.stop()
if not depot.jeton_valide(jeton):
    st.error("Jeton de dépôt incorrect : le dépôt est réservé aux coordinateurs.")
    st.stop()

# no `type=` filter: Streamlit's own refusal is in English; the name is checked below, in French
fichier = st.file_uploader("Export CSV (un fichier .csv)", accept_multiple_files=False, key="export")
if fichier is None:
    st.stop()

verifier = st.cache_data(max_entries=2, show_spinner="Vérification du fichier…")(depot.verifier)  # not redone on each click

contenu = fichier.getvalue()
try:
    verification = verifier(fichier.name, contenu)
except depot.DepotRefuse as exc:
    st.error(str(exc))
    st.stop()

# the reason: the report's last line that is not a heading (« Fichier : », « Source : »…)
ENTETES = ("Fichier :", "Source :", "Encodage :", "Séparateur :")
motifs = [ligne.strip() for ligne in verification.rapport.splitlines() if ligne.strip() and not ligne.startswith(ENTETES)]
motif = motifs[-1] if motifs else "raison non précisée par la vérification"
if verification.code == 2:
    st.error(f"Le fichier ne peut pas être vérifié. {motif}")
elif verification.problemes:
    st.error(f"{len(verification.problemes)} problème(s) trouvé(s) : corrigez le fichier avant de le déposer.")
elif not verification.propre:
    # refused whole (a missing column, an unreadable header…): the reason, in plain French
    st.error(motif if motif.startswith("Fichier refusé") else f"Fichier refusé en entier : {motif}")
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
