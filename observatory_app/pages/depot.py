"""Déposer un export: check a CSV with the ingestion code, then copy it into the landing folder."""

import polars as pl
import streamlit as st

from assets.ingest.naming import expected_names
from observatoire_commun import format as fr
from observatoire_commun import presentation
from observatory_app import comptes, depot

st.title("Déposer un export")
st.write(
    "Déposez un export CSV d'une source (SI-SIAO, SNE, Nuit de la Solidarité, offre). Il est vérifié "
    "avec les mêmes règles que l'ingestion ; un fichier sans problème peut ensuite être déposé dans "
    "le dossier de dépôt, d'où le pipeline le reprendra."
)
st.caption(
    # the ingestion's own list (assets.ingest.naming): a name accepted here is a name the pipeline loads
    "Noms attendus, à la lettre près (minuscules, extension .csv) : "
    + ", ".join(f"`{nom}`" for nom in expected_names().split(", ")) + ". "
    + f"Taille maximale : {depot.TAILLE_MAX_MO} Mo."
)

chemin_comptes = comptes.fichier_comptes()
if chemin_comptes is None:
    st.info(
        "Le dépôt est désactivé : il est réservé aux coordinateurs et aucun compte de dépôt n'est "
        f"configuré sur ce serveur (variable d'environnement `{comptes.VARIABLE_COMPTES}`). Adressez vos "
        "exports à l'équipe de données de l'observatoire."
    )
    st.stop()
try:
    comptes.charger(chemin_comptes)
except comptes.ComptesInvalides as exc:
    st.error(f"Le dépôt est indisponible : {exc}")
    st.stop()

compte = st.session_state.get("compte_depot")
if comptes.oidc_configure(st.secrets):
    # Streamlit's native sign-in (OIDC): the provider vouches for the e-mail address, the accounts
    # file says which départements it may deposit for (a line `adresse;33;oidc`)
    if not getattr(st.user, "is_logged_in", False):
        st.button("Se connecter avec le fournisseur d'identité", key="oidc", on_click=st.login)
        st.stop()
    compte = comptes.compte_oidc(st.user.get("email"), chemin_comptes)
    if compte is None:
        st.error(f"« {st.user.get('email') or 'adresse inconnue'} » n'a pas de compte de dépôt : le dépôt est "
                 "réservé aux coordinateurs inscrits dans le fichier des comptes.")
        st.button("Se déconnecter", key="oidc_sortie", on_click=st.logout)
        st.stop()
    st.session_state["compte_depot"] = compte
elif compte is None:
    with st.form("connexion"):
        identifiant = st.text_input("Identifiant", key="identifiant")
        mot_de_passe = st.text_input("Mot de passe", type="password", key="mot_de_passe")
        connecter = st.form_submit_button("Se connecter")
    if not connecter:
        st.stop()
    compte = comptes.authentifier(identifiant, mot_de_passe, chemin_comptes)
    if compte is None:
        st.error("Identifiant ou mot de passe incorrect : le dépôt est réservé aux coordinateurs.")
        st.stop()
    st.session_state["compte_depot"] = compte
    st.rerun()  # the form is not drawn again once connected
g, d = st.columns([4, 1])
g.success(f"Connecté : « {compte.identifiant} », dépôts autorisés : fichiers {compte.libelle_departements()}.")
if d.button("Se déconnecter", key="deconnecter"):
    del st.session_state["compte_depot"]
    if comptes.oidc_configure(st.secrets):
        st.logout()
    st.rerun()

# Streamlit has no locale: its uploader's own texts (button, size limit, drag-over text, a refusal
# by the browser) are replaced in French by CSS, the file's size is shown below in French
st.html(depot.CSS_TELEVERSEMENT)
# no `type=` filter: Streamlit's own refusal is in English; the name is checked below, in French
fichier = st.file_uploader(
    "Export CSV (un fichier .csv)", accept_multiple_files=False, key="export", max_upload_size=depot.TAILLE_MAX_MO,
    help=f"Glissez-déposez le fichier dans le cadre ou cliquez sur « Parcourir » ; {depot.TAILLE_MAX_MO} Mo au plus.",
)
if fichier is None:
    st.stop()
st.caption(f"Fichier reçu : « {fichier.name} », {fr.nombre(fichier.size)} octets.")

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
        pl.DataFrame(
            [{**p, "regle": presentation.libelle_regle(p["regle"])} for p in verification.problemes],  # French rule labels
            schema={"ligne": pl.Int64, "colonne": pl.String, "regle": pl.String, "message": pl.String},
        )
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
    motif_compte = comptes.refus(compte, verification.nom)
    if motif_compte is not None:
        st.error(motif_compte)
        st.stop()
    st.caption(f"Destination : `{destination}`")
    if st.button("Déposer dans le dossier de dépôt", type="primary", key="deposer"):
        try:
            chemin = depot.deposer(verification.nom, contenu, landing, compte)
        except depot.DepotRefuse as exc:
            st.error(str(exc))
        else:
            st.success(f"Fichier déposé : `{chemin}` (dépôt inscrit au journal `{depot.JOURNAL}` du dossier de dépôt).")
