"""Fiche territoire: latest value of every indicator, a series against France and the peers of the
same size class, the SIAO pathway (Sankey), downloads."""

import polars as pl
import streamlit as st

from observatory_app import charts, commun, data, export, objectifs
from observatory_app import ledger
from observatoire_commun import format as fr
from pipelines.config import REFERENCE_DIR

TYPES = {"territoire_lda": "Territoire Logement d'abord", "departement": "Département", "region": "Région"}
TYPES["epci"] = "EPCI"  # after the others in the list; search by name or SIREN (the box filters on the typed text)

st.title("Fiche territoire")
st.write("Choisissez un territoire Logement d'abord, un département, une région ou un EPCI (tapez son nom ou son numéro SIREN) : ses derniers chiffres, leur évolution comparée à la France, et ses données à télécharger.")

chemin, version = commun.publication()
synthetique = commun.bandeau(chemin, version)

territoires = data.territoires(chemin, version).filter(pl.col("territoire_type").is_in(list(TYPES)))
if territoires.is_empty():
    st.info("Aucun territoire publié.")
    st.stop()
libelles = {
    f"{t}|{c}": f"{lib} ({TYPES[t].lower()}{'' if t == 'territoire_lda' else ' ' + c})"
    for t, c, lib in territoires.select("territoire_type", "territoire_code", "territoire_libelle").iter_rows()
}
# EPCI: « nom (EPCI SIREN, départements) », the départements of its communes (COG 2026 file)
epci_departements = dict(
    pl.read_csv(REFERENCE_DIR / "cog" / "epci_2026.csv", infer_schema=False)
    .select("siren_epci", pl.col("departements").str.replace_all("|", ", ", literal=True)).iter_rows()
)
for cle in [c for c in libelles if c.startswith("epci|")]:
    siren = cle.split("|", 1)[1]
    deps = epci_departements.get(siren, "?")
    libelles[cle] = f"{libelles[cle].rsplit(' (', 1)[0]} (EPCI {siren}, département{'s' if ',' in deps else ''} {deps})"
ordre = {t: i for i, t in enumerate(TYPES)}
options = sorted(libelles, key=lambda cle: (ordre[cle.split("|")[0]], libelles[cle]))
choix = st.selectbox("Territoire", options, format_func=libelles.__getitem__, key="territoire")
territoire_type, territoire_code = choix.split("|", 1)

annee = data.derniere_annee_complete(chemin, "FR", version)
periodes = tuple(str(a) for a in range(annee - 1, annee + 1)) if annee else ()
valeurs = data.valeurs_annee(chemin, territoire_type, territoire_code, periodes, version)

st.subheader(f"Derniers chiffres ({annee})" if annee else "Derniers chiffres")
if valeurs.is_empty():
    st.info("Aucune valeur publiée pour ce territoire.")
else:
    lignes = []
    for code in valeurs["indicateur"].unique(maintain_order=True).to_list():
        sous = valeurs.filter(pl.col("indicateur") == code)
        cur = sous.filter(pl.col("periode") == str(annee))
        prev = sous.filter(pl.col("periode") == str(annee - 1))
        c = cur.row(0, named=True) if cur.height else None
        p = prev.row(0, named=True) if prev.height else None
        ref = c or p
        lignes.append(
            {
                "Indicateur": ref["libelle"] or code,
                "Code": code,
                str(annee): fr.cellule(c["valeur"], c["statut"], c["unite"], c["part_non_localisable"]) if c else fr.ABSENT,
                str(annee - 1): fr.cellule(p["valeur"], p["statut"], p["unite"], p["part_non_localisable"]) if p else fr.ABSENT,
                "Unité": ref["unite"] or "",
                "Non localisable": fr.pourcentage(ref["part_non_localisable"], 0)
                if ref["part_non_localisable"] else "",
                "Source": charts.libelle_source(ref["source"]),
            }
        )
    st.dataframe(pl.DataFrame(lignes), hide_index=True, width="stretch")
    st.caption(
        commun.texte_secret(chemin, version) + " « n.l. » : non localisable, la valeur n'est connue qu'à un "
        "niveau plus large (par exemple l'offre, connue par département, pour un EPCI) ; jamais 0. "
        "« Non localisable » : la part de la valeur publiée au niveau plus large qui ne peut pas être "
        "rattachée à un territoire plus fin."
    )

st.subheader("Évolution comparée à la France et aux territoires de même taille")
catalogue = data.catalogue(chemin, version)
codes = catalogue["code"].to_list()
noms = dict(zip(codes, catalogue["libelle"].to_list()))
unites = dict(zip(codes, catalogue["unite"].to_list()))
sources = dict(zip(codes, catalogue["source"].to_list()))
indicateur = st.selectbox("Indicateur", codes, format_func=lambda c: f"{noms[c]} ({c})", key="indicateur")
serie = data.serie(chemin, indicateur, ((territoire_type, territoire_code), ("france", "FR")), version)
pairs = data.pairs(chemin, territoire_type, territoire_code, version)
if pairs.height:
    mediane = data.serie_pairs(chemin, indicateur, territoire_type, tuple(pairs["territoire_code"].to_list()), version)
    if mediane.height:
        serie = pl.concat([
            serie,
            mediane.select(
                pl.lit(territoire_type).alias("territoire_type"), pl.lit("PAIRS").alias("territoire_code"),
                pl.lit("Médiane des territoires de même taille").alias("territoire_libelle"), "periode",
                pl.col("valeur").cast(pl.Float64), pl.lit("ok").alias("statut"), pl.lit(sources[indicateur]).alias("source"),
            ),
        ], how="vertical_relaxed")
if serie.is_empty():
    st.info("Indicateur non publié pour ce territoire.")
else:
    types = dict(zip(codes, catalogue["type"].to_list()))
    notes = []
    if types.get(indicateur) == "count":
        # a territory's counts and France's are not on one axis: the territory would be flat at 0
        st.plotly_chart(
            charts.series_comptes(serie, noms[indicateur], unites[indicateur], sources[indicateur], synthetique, ("France",)),
            width="stretch",
        )
        notes.append(
            "Nombres : le territoire (et la médiane des territoires de même taille) et la France sont dessinés "
            "sur deux panneaux, chacun avec sa propre échelle ; comparez les tendances, pas les hauteurs."
        )
    else:
        st.plotly_chart(
            charts.series_temporelles(serie, noms[indicateur], unites[indicateur], sources[indicateur], synthetique),
            width="stretch",
        )
    if serie.filter(pl.col("statut") == "secret").height:
        notes.append("Les années couvertes par le secret statistique sont laissées vides sur le graphique.")
    if pairs.height:
        notes.append(
            f"Territoires de même taille : {pairs['classe_libelle'][0]} (population légale), "
            f"{pairs.height} {'autre territoire' if pairs.height == 1 else 'autres territoires'} ; "
            f"médiane de leurs valeurs publiées chaque année (les cases secrètes ou "
            f"absentes n'y entrent pas). Classes : data/config/classes_taille.csv."
        )
    if notes:
        st.caption(" ".join(notes))

objectifs.afficher(chemin, territoire_type, territoire_code, territoires.filter(
    (pl.col("territoire_type") == territoire_type) & (pl.col("territoire_code") == territoire_code)
)["territoire_libelle"].first() or territoire_code, synthetique, version)

ledger.afficher(chemin, territoire_type, territoire_code, libelles[choix], synthetique, version)

st.subheader("Parcours des demandes d'hébergement (SIAO)")
annees_parcours = data.annees_parcours(chemin, territoire_type, territoire_code, version)
if not annees_parcours:
    st.info("Aucun parcours publié : pas de fichier SIAO couvrant ce territoire.")
else:
    annee_parcours = st.selectbox("Année de la demande", annees_parcours, key="annee_parcours")
    parcours = data.parcours(chemin, territoire_type, territoire_code, annee_parcours, version)
    libelle = territoires.filter(
        (pl.col("territoire_type") == territoire_type) & (pl.col("territoire_code") == territoire_code)
    )["territoire_libelle"][0]
    st.plotly_chart(charts.sankey_parcours(parcours, libelle, annee_parcours, synthetique), width="stretch")
    st.caption(
        "Demandes d'hébergement (urgence et insertion, tous statuts) datées de l'année : situation au moment de "
        "la demande, type d'orientation proposé, destination à la sortie. Regroupements : « Rue, squat » = rue, abri "
        "de fortune, squat, bidonville ; « Urgence ou hôtel » = CHU, hôtel ; « Logement adapté » = pension de "
        "famille, résidence sociale (FJT à la sortie), intermédiation locative ; « Tiers, rue, institution » = "
        "hébergé chez un tiers, rue, institution ; « Pas de sortie » = demande sans date de sortie "
        "(data/config/parcours_categories.csv). Entre parenthèses, le total publié de chaque catégorie ; « s » : "
        "secret statistique. Les flux secrets ne sont pas tracés, jamais comptés à 0."
    )

st.subheader("Télécharger les données du territoire")
tout = data.donnees_territoire(chemin, territoire_type, territoire_code, version)
nom = f"observatoire_{territoire_type}_{territoire_code}"
g, d = st.columns(2)
# the bytes are given to the buttons (cached per file version and territory), not a deferred
# callable whose media file can vanish between the run and the click (MediaFileStorageError)
@st.cache_data(ttl=data.TTL, show_spinner=False, max_entries=32)
def fichiers_territoire(chemin_: str, type_: str, code_: str, version_: float) -> tuple[bytes, bytes]:
    lignes = data.donnees_territoire(chemin_, type_, code_, version_)
    return export.csv_excel(lignes), export.xlsx(lignes)


octets_csv, octets_xlsx = fichiers_territoire(chemin, territoire_type, territoire_code, version)
g.download_button("CSV (Excel, séparateur « ; »)", octets_csv, f"{nom}.csv", "text/csv", key="csv")
d.download_button(
    "XLSX",
    octets_xlsx,
    f"{nom}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="xlsx",
)
st.caption("Les cases secrètes ont une valeur vide et le statut « secret » ; les cases sans source, le statut "
           "« absent » ; les cases connues seulement à un niveau plus large (part_non_localisable = 100, par exemple "
           "l'offre d'un EPCI, connue par département) une valeur vide, le statut « non_localisable » et une note, "
           "jamais 0.")
