"""Classement des territoires: every Logement d'abord territory × one indicator, sortable, with its
yearly series (sparkline) and the territories furthest from their trajectory marked."""

import polars as pl
import streamlit as st

from observatory_app import charts, commun, data
from observatoire_commun import format as fr

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
annee = d.selectbox("Année", [str(a) for a in reversed(data.annees_completes(chemin, "FR", version))], key="annee")

df = data.classement(chemin, indicateur, annee, version)
unite = unites[indicateur]
trajectoires = data.trajectoires(chemin, indicateur, annee, version)
evalues = data.indicateurs_evalues(chemin, version)
df = df.join(trajectoires.select("territoire_code", "annee_reference", "serie", "ecart"), on="territoire_code", how="left")
N_SIGNALES = 5
signales = set(
    df.filter(pl.col("ecart").is_not_null()).sort(pl.col("ecart").abs(), descending=True)
    .head(N_SIGNALES)["territoire_code"].to_list()
)
decimales = fr.decimales_pour(unite)
# French labels of the territories' nature (data/config/territoires_lda.csv holds codes)
NATURES = {"epci": "EPCI", "departement": "Département", "commune": "Commune", "candidature conjointe": "Candidature conjointe"}
unite_evolution = "points de %" if unite == "%" else (unite or "")
colonne_evolution = f"Évolution depuis {int(annee) - 1} ({unite_evolution})"


def _ecart(valeur, precedente, statut, statut_precedent) -> str:
    if statut != "ok" or statut_precedent != "ok" or valeur is None or precedente is None:
        return fr.ABSENT
    ecart = round(valeur - precedente, decimales)
    return ("+" if ecart >= 0 else "-") + fr.nombre(abs(ecart), decimales)


publiees = df.filter(pl.col("statut") == "ok").sort("valeur", descending=True)
rangs = dict(zip(publiees["territoire_code"].to_list(), range(1, publiees.height + 1)))
tableau = pl.DataFrame(
    {
        "Écart marqué": ["⚠" if c in signales else "" for c in df["territoire_code"]],
        # text (a null number would read « None »): padded with spaces so that sorting it as text
        # sorts the ranks, « — » (no published value) last
        "Rang": [f"{rangs[c]:>4}" if c in rangs else fr.ABSENT for c in df["territoire_code"]],
        "Territoire": df["territoire_libelle"].to_list(),
        "Appel": [str(int(a)) if a is not None else fr.ABSENT for a in df["ami"]],
        "Nature": [NATURES.get(n, n.capitalize()) if n else fr.ABSENT for n in df["nature"]],
        # « s » secret, « n.l. » non localisable, « — » absent: never None
        "Valeur": [fr.valeur(v, st_, unite) for v, st_ in zip(df["valeur"], df["statut"])],
        colonne_evolution: [_ecart(*r) for r in df.select("valeur", "valeur_precedente", "statut", "statut_precedent").iter_rows()],
        # a series with fewer than two published years is not drawn (a flat line would read as 0)
        "Série": [list(x) if x is not None and len(x) >= 2 else None for x in df["serie"].to_list()],
        "Écart à la trajectoire": [
            fr.ABSENT if e is None else ("+" if e >= 0 else "-") + fr.nombre(abs(e), decimales + 1) for e in df["ecart"]
        ],
    },
    schema_overrides={"Série": pl.List(pl.Float64)},
)
st.dataframe(
    tableau,
    hide_index=True,
    width="stretch",
    column_config={
        "Rang": st.column_config.TextColumn("Rang", help="Rang de la valeur publiée (1 = la plus élevée) ; triez sur cette colonne."),
        "Valeur": st.column_config.TextColumn(f"Valeur ({unite})"),
        "Série": st.column_config.LineChartColumn("Série annuelle (valeurs publiées)", width="medium"),
        "Écart à la trajectoire": st.column_config.TextColumn(
            f"Écart à la trajectoire ({unite_evolution})",
            help="Évolution du territoire depuis son année de référence (l'année précédant son appel) moins celle "
                 "du reste de la France sur la même période.",
        ),
        "Écart marqué": st.column_config.TextColumn("", width="small"),
    },
)
st.caption(
    commun.texte_secret(chemin, version)
    + " « s » : secret statistique ; « — » : aucune valeur publiée ; « n.l. » : non localisable. Triez par la "
    "colonne Rang (les cases sans valeur publiée n'ont pas de rang). Série : tracée à partir de deux années publiées. "
    + f"⚠ : les {len(signales)} territoires les plus éloignés de leur trajectoire en {annee}, c'est-à-dire de la "
    "valeur qu'ils auraient eue en évoluant comme le reste de la France depuis leur année de référence "
    "(écart positif : au-dessus, négatif : en dessous). Sans valeur publiée l'année de référence ou cette année, "
    "pas d'écart. Une comparaison descriptive, non causale. L'écart est la différence de différences publiée "
    "par l'évaluation (section F), donnée seulement pour les indicateurs évalués"
    + (f" ({', '.join(evalues)})." if evalues else ".")
)
st.plotly_chart(
    charts.classement_barres(df, libelles[indicateur], unite, sources[indicateur], annee, synthetique),
    width="stretch",
)
