"""Vue nationale: headline figures for France, last complete year, and LDA vs rest of France."""

import polars as pl
import streamlit as st

from observatoire_commun.presentation import CHIFFRES_CLES
from observatory_app import charts, commun, data, objectifs
from observatory_app import ledger
from observatoire_commun import format as fr

st.title("Vue nationale")
st.write("Les chiffres clés de la France pour la dernière année complète, et l'évolution dans les territoires Logement d'abord comparée au reste de la France.")

chemin, version = commun.publication()
synthetique = commun.bandeau(chemin, version)

annee = data.derniere_annee_complete(chemin, "FR", version)
if annee is None:
    st.info("Aucune année publiée pour la France.")
    st.stop()

valeurs = data.valeurs_annee(chemin, "france", "FR", (str(annee - 1), str(annee)), version)
st.subheader(f"France, {annee}")
colonnes = st.columns(len(CHIFFRES_CLES))
lignes_evol = valeurs.filter(pl.col("indicateur") == "NDLS_EVOL_PC")
for colonne, code in zip(colonnes, CHIFFRES_CLES):
    lignes = valeurs.filter(pl.col("indicateur") == code)
    actuelle = lignes.filter(pl.col("periode") == str(annee))
    precedente = lignes.filter(pl.col("periode") == str(annee - 1))
    if actuelle.is_empty():
        colonne.metric(code, fr.ABSENT)
        continue
    ligne = actuelle.row(0, named=True)
    prec = precedente.row(0, named=True) if precedente.height else {"valeur": None, "statut": "absent"}
    ecart = None
    libelle_carte = ligne["libelle"] or code
    aide = f"Indicateur {code}, source : {charts.libelle_source(ligne['source'])}"
    if code.startswith("NDLS_"):
        # Raw NdlS totals of two editions cover different perimeters (indicators.md §D): the change
        # shown is the published constant-perimeter one (NDLS_EVOL_PC), and France is the sum of the
        # cities that held a Nuit, not the whole country.
        evol = lignes_evol.filter(pl.col("periode") == str(annee))
        if evol.height and evol["statut"][0] == "ok" and evol["valeur"][0] is not None:
            ecart = f"{fr.evolution_pc(evol['valeur'][0])} à périmètre constant"
        libelle_carte = f"{libelle_carte} (somme des villes décomptées)"
        aide += (
            " ; total des villes ayant organisé une Nuit de la Solidarité, pas la France entière. "
            "L'évolution est calculée sur les seuls secteurs couverts les deux années (NDLS_EVOL_PC)."
        )
    elif ligne["statut"] == "ok" and prec["statut"] == "ok":
        ecart = fr.evolution(ligne["valeur"], prec["valeur"], ligne["unite"])
    colonne.metric(
        libelle_carte,
        fr.valeur(ligne["valeur"], ligne["statut"], ligne["unite"]),
        delta=f"{ecart} par rapport à {annee - 1}" if ecart else None,
        delta_color="off" if code.startswith(("DEM_", "NDLS_")) else "normal",
        help=aide,
    )

st.subheader("Territoires Logement d'abord et reste de la France")
catalogue = data.catalogue(chemin, version)
tx = catalogue.filter(pl.col("code") == "TX_ATTR_SD")
libelle = tx["libelle"][0] if tx.height else "TX_ATTR_SD"
serie = data.serie(chemin, "TX_ATTR_SD", (("groupe", "LDA"), ("groupe", "HORS_LDA")), version)
if serie.is_empty():
    st.info("Indicateur TX_ATTR_SD non publié pour les groupes LDA / HORS_LDA.")
else:
    st.plotly_chart(
        charts.series_temporelles(serie, libelle, "%", serie["source"].drop_nulls().first(), synthetique),
        width="stretch",
    )
    st.caption("Les années sans valeur (secret ou source absente) sont laissées vides, jamais à zéro.")

evaluation = data.evaluation(chemin, "groupe", "LDA", version)
if evaluation.height:
    st.markdown("**Écart à l'évolution du reste de la France (différence de différences, intervalle à 95 %)**")
    reference = evaluation["annee_reference"].drop_nulls()
    colonnes_eval = st.columns(2)
    for colonne, (code, titre, unite) in zip(colonnes_eval, (
        ("TX_ATTR_SD", "Part des attributions aux ménages SD", "points de %"),
        ("ATTR_SD_100K", "Attributions aux ménages SD / 100 000 hab.", "pour 100 000 hab."),
    )):
        sous = evaluation.filter(pl.col("indicateur") == code)
        if sous.height and not sous.filter(pl.col("statut") == "ok").height:
            colonne.info(f"{titre} : écart non publié (secret statistique).")
        elif sous.height:
            colonne.plotly_chart(
                charts.evaluation_intervalles(
                    sous, f"{titre}<br>écart depuis {reference.min() if reference.len() else '—'}", unite, synthetique
                ),
                width="stretch",
                key=f"evaluation_{code}",
            )
    st.caption(
        "SD : sans domicile. Chaque point : l'évolution des territoires Logement d'abord depuis leur année de référence, moins la même "
        "évolution dans le reste de la France ; la barre : l'intervalle à 95 % (bootstrap sur les départements). "
        "Un intervalle qui contient 0 ne distingue pas les territoires du reste de la France. Comparaison "
        "descriptive, pas une mesure d'effet causal."
    )
    with st.expander("Méthode de l'évaluation"):
        st.write(data.evaluation_methode(chemin, version))

ledger.afficher(chemin, "france", "FR", "France", synthetique, version)

st.subheader("Carte des départements")
# no EPCI map: no EPCI outline is shipped (data/reference/geo holds départements and régions only)
CARTE_EPCI = ("Pas de carte par EPCI : aucun contour des EPCI n'est disponible hors ligne ; les valeurs publiées "
              "d'un EPCI sont sur sa Fiche territoire (choix par nom ou SIREN) et dans ses téléchargements.")
codes = catalogue["code"].to_list()
col_indicateur, col_annee = st.columns([3, 1])
libelles_catalogue = dict(zip(codes, catalogue["libelle"].to_list()))
indicateur = col_indicateur.selectbox(
    "Indicateur",
    codes,
    index=codes.index("TX_ATTR_SD") if "TX_ATTR_SD" in codes else 0,
    format_func=lambda c: f"{libelles_catalogue.get(c) or c} ({c})",
    key="carte_indicateur",
)
# only complete years (observatoire_commun.annees_completes), most recent first
annees = [str(a) for a in reversed(data.annees_completes(chemin, "FR", version))]
annee_carte = col_annee.selectbox(
    "Année", annees, index=annees.index(str(annee)) if str(annee) in annees else 0, key="carte_annee"
)
departements = data.valeurs_departements(chemin, indicateur, annee_carte, version)
if departements.is_empty():
    st.info("Aucun département publié.")
else:
    st.plotly_chart(
        commun.carte_departements(chemin, indicateur, annee_carte, synthetique, version),
        width="stretch",
        key="carte_departements",
    )
    st.caption(
        "Départements d'outre-mer en encarts à l'ouest, de haut en bas : Guadeloupe, Martinique, Guyane, La Réunion, Mayotte (échelles différentes). Gris : « s », secret statistique (jamais 0) ; "
        "gris clair : « — », aucune source pour ce département et cette année ; beige : « n.l. », valeur connue "
        "seulement à un niveau plus large (non localisable dans le département, jamais 0). "
        + CARTE_EPCI
    )

st.subheader("L'observatoire et le Baromètre du Logement d'abord")
barometre = data.series_publiees(chemin, "BAROMETRE_LDA_PERSONNES", "france", "FR", version)
observatoire = data.serie(chemin, "ATTR_SD_PERS", (("france", "FR"),), version)
if barometre.is_empty() or observatoire.is_empty():
    st.info("Série du Baromètre ou indicateur ATTR_SD_PERS non publié pour la France.")
else:
    comparaison = pl.concat(
        [
            observatoire.select(
                pl.lit("Observatoire (personnes relogées, ATTR_SD_PERS)").alias("territoire_libelle"),
                "periode", "valeur", "statut",
            ),
            barometre.select(
                pl.lit("Baromètre du Logement d'abord (publié)").alias("territoire_libelle"),
                "periode", "valeur", "statut",
            ),
        ]
    )
    st.plotly_chart(
        charts.series_temporelles(
            comparaison,
            "Personnes sans domicile relogées dans le parc social, France",
            "personnes",
            "SNE (observatoire) et Baromètre du Logement d'abord",
            synthetique,
        ),
        width="stretch",
    )
    st.caption("Le Baromètre est la série publiée par l'État ; l'observatoire la recalcule à partir des attributions (convention ×2,2 personnes par ménage).")

objectifs.afficher(chemin, "france", "FR", "France", synthetique, version)
