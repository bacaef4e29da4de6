"""Section G in the app: the monthly ledger of homeless households of one territory (stock line,
inflows above the axis, outflows below), its last 12 months as a table with the « zéro fonctionnel »
reading, and the yearly returns after housing and episode lengths.

The code lists and the « zéro fonctionnel » rule are `observatoire_commun.ledger`'s (one definition
with the report); labels and units are the publication file's catalogue's, never restated here.
Pure functions build the figures, tables and sentences (testable without Streamlit); `afficher`
is the one call a page makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from observatoire_commun import format as fr
from observatoire_commun import ledger as g
from observatoire_commun.presentation import note
from observatory_app import data

SOURCE = "siao"
#: Inflows in warm colours (households becoming homeless again), outflows: housing in green.
COULEURS = {
    "ENTREES_NOUVEAUX": "#a50f15",
    "ENTREES_RETOUR_LOGEMENT": "#de2d26",
    "ENTREES_RETOUR_INACTIVITE": "#fb6a4a",
    "TRANSFERTS_ENTRANTS": "#fcae91",
    "SORTIES_LOGEMENT": "#238b45",
    "SORTIES_INACTIVITE": "#969696",
    "TRANSFERTS_SORTANTS": "#cccccc",
}
COULEUR_STOCK = "#08306b"
#: The codes drawn on the chart, in the order of the legend.
TRACES = (g.STOCK, *g.ENTREES, *g.SORTIES)
#: Periods the chart can show (label → number of months, None = every month); the default is the
#: middle one: at 130 months a bar is a few pixels wide.
FENETRES = {"12 derniers mois": 12, "3 dernières années": 36, "Toute la période": None}


# ---------------------------------------------------------------------------------------- data


def _cellules(chemin: str, territoire_type: str, territoire_code: str, codes: list[str], periode: str) -> pl.DataFrame:
    """The territory's published cells of `codes` whose `periode` matches the pattern `periode`."""
    return data._requete(
        chemin,
        """
        select indicateur, periode, valeur, statut
        from publication.indicateurs
        where territoire_type = $type and territoire_code = $code and list_contains($codes, indicateur)
          and regexp_full_match(periode, $motif)
        order by periode, indicateur
        """,
        {"type": territoire_type, "code": territoire_code, "codes": codes, "motif": periode},
    )


@st.cache_data(ttl=data.TTL, show_spinner=False)
def cellules_mensuelles(
    chemin: str, territoire_type: str, territoire_code: str, version: float | None = None
) -> pl.DataFrame:
    """The territory's monthly section G cells (`periode` = AAAA-MM): indicateur, periode, valeur, statut."""
    return _cellules(chemin, territoire_type, territoire_code, list(g.MENSUELS), "[0-9]{4}-[0-9]{2}")


@st.cache_data(ttl=data.TTL, show_spinner=False)
def cellules_annuelles(
    chemin: str, territoire_type: str, territoire_code: str, version: float | None = None
) -> pl.DataFrame:
    """The territory's yearly returns after housing and episode cells: indicateur, periode, valeur, statut."""
    return _cellules(chemin, territoire_type, territoire_code, [*g.RETOURS, *g.EPISODES], "[0-9]{4}")


# ---------------------------------------------------------------------------------- the grid


def _mois_suivant(mois: str) -> str:
    annee, m = int(mois[:4]), int(mois[5:7])
    return f"{annee + m // 12}-{m % 12 + 1:02d}"


def libelle_mois(mois: str) -> str:
    """« 2025-03 » → « mars 2025 »."""
    return f"{fr.MOIS[int(mois[5:7]) - 1]} {mois[:4]}"


@dataclass
class Grille:
    """Month × code of one territory: every calendar month from the first to the last with a
    published or secret cell (months without a row in between are absent)."""

    mois: list[str]
    cellules: dict[tuple[str, str], tuple[float | None, str]] = field(default_factory=dict)

    def statut(self, code: str, mois: str) -> str:
        return self.cellules.get((code, mois), (None, "absent"))[1]

    def valeur(self, code: str, mois: str) -> float | None:
        """The published value, None when secret or absent (a gap, never 0)."""
        v, s = self.cellules.get((code, mois), (None, "absent"))
        return v if s == "ok" else None

    def texte(self, code: str, mois: str, unite: str | None = "nombre") -> str:
        v, s = self.cellules.get((code, mois), (None, "absent"))
        return fr.valeur(v, s, unite)

    def mois_absents(self) -> list[str]:
        return [m for m in self.mois if all(self.statut(c, m) == "absent" for c in g.MENSUELS)]

    def derniers(self, n: int = 12) -> list[str]:
        return self.mois[-n:]

    def fenetre(self, n: int | None) -> Grille:
        """The same cells over the last `n` months only (all of them when `n` is None)."""
        return Grille(self.mois if n is None else self.derniers(n), self.cellules)


def grille(cellules: pl.DataFrame) -> Grille:
    """`cellules` (indicateur, periode, valeur, statut) of one territory → its Grille."""
    presents = cellules.filter(pl.col("statut") != "absent")["periode"]
    if presents.len() == 0:
        return Grille([])
    mois, fin = presents.min(), presents.max()
    tous = [mois]
    while mois < fin:
        mois = _mois_suivant(mois)
        tous.append(mois)
    lignes = cellules.select("indicateur", "periode", "valeur", "statut").iter_rows()
    return Grille(tous, {(c, p): (v, s) for c, p, v, s in lignes})


# --------------------------------------------------------------------------------- the chart


def graphique(gr: Grille, libelles: dict[str, str], territoire: str, synthetique: bool) -> go.Figure:
    """Two panels on one month axis: above, the stock (ACTIFS) as a line; below, the inflows
    stacked above the axis and the outflows stacked below it (negative bars; the hover gives the
    true positive count). Secret and absent cells are gaps (None), never 0. One x axis for both
    panels, so the hover of a month lists the stock and every flow. Each trace's `meta` is its code."""
    fig = go.Figure()
    x = gr.mois
    for code in (*g.ENTREES, *g.SORTIES):
        signe = 1 if code in g.ENTREES else -1
        valeurs = [gr.valeur(code, m) for m in x]
        fig.add_trace(go.Bar(
            x=x, y=[signe * v if v is not None else None for v in valeurs], name=libelles.get(code, code),
            marker={"color": COULEURS[code]}, meta=code, customdata=[gr.texte(code, m) for m in x],
            hovertemplate="%{customdata}", legendgroup="entrees" if signe > 0 else "sorties",
        ))
    fig.add_trace(go.Scatter(
        x=x, y=[gr.valeur(g.STOCK, m) for m in x], mode="lines+markers", name=libelles.get(g.STOCK, g.STOCK),
        line={"color": COULEUR_STOCK}, connectgaps=False, meta=g.STOCK, yaxis="y2",
        customdata=[gr.texte(g.STOCK, m) for m in x], hovertemplate="%{customdata}",
    ))
    periode = f"{libelle_mois(x[0])} – {libelle_mois(x[-1])}" if x else "—"
    fig.update_layout(
        title={"text": f"Ménages sans domicile suivis par le SIAO, mois par mois — {territoire}"
                       f"<br><sup>{note(SOURCE, periode, synthetique)}</sup>"},
        separators=", ",
        barmode="relative",
        height=620,
        margin={"t": 90},
        hovermode="x unified",
        hoversubplots="axis",  # the month's hover lists the stock (upper panel) with the flows
        legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
        xaxis={"type": "category", "nticks": 14, "title": "Mois"},
        yaxis={"domain": [0, 0.6], "title": "entrées (+) / sorties (−)", "tickformat": ",~f", "zeroline": True,
               "zerolinewidth": 2, "zerolinecolor": "#444"},
        yaxis2={"domain": [0.68, 1], "anchor": "x", "title": "ménages actifs", "rangemode": "tozero",
                "tickformat": ",~f"},
    )
    return fig


def note_lacunes(gr: Grille, libelles: dict[str, str]) -> str:
    """How many months are absent and how many cells of each charted code are secret, in French."""
    absents = gr.mois_absents()
    morceaux = []
    if absents:
        morceaux.append(
            f"{len(absents)} mois sur {len(gr.mois)} sans fichier SIAO couvrant le territoire ce mois et le "
            f"précédent (« — ») : {', '.join(libelle_mois(m) for m in absents)}"
        )
    secrets = []
    for code in TRACES:
        n = sum(gr.statut(code, m) == "secret" for m in gr.mois)
        if n:
            secrets.append(f"{libelles.get(code, code).lower()} {n} mois")
    if secrets:
        morceaux.append("cases couvertes par le secret statistique (« s ») : " + ", ".join(secrets))
    if not morceaux:
        return "Aucun mois secret ni absent sur la période affichée."
    return ("Sur la période affichée, " + " ; ".join(morceaux)
            + ". Ces cases sont laissées vides sur le graphique, jamais à 0.")


# --------------------------------------------------------------------------- last 12 months


def tableau(gr: Grille, libelles: dict[str, str], unites: dict[str, str]) -> pl.DataFrame:
    """The last 12 months, one row each: start stock, inflows, outflows, end stock, solde, formatted
    (« s » secret, « — » absent)."""
    codes = (g.STOCK_DEBUT, *g.ENTREES, *g.SORTIES, g.STOCK, g.SOLDE)
    lignes = []
    for m in gr.derniers(12):
        ligne = {"Mois": libelle_mois(m)}
        for code in codes:
            ligne[libelles.get(code, code)] = gr.texte(code, m, unites.get(code, "nombre"))
        lignes.append(ligne)
    return pl.DataFrame(lignes)


def lecture_zero_fonctionnel(gr: Grille) -> tuple[list[str], list[str], list[str]]:
    """(yes, no, unknown) months among the last 12: exits to housing exceeded every inflow or not,
    unknown when a secret term or the month's absence leaves the answer open; « no » when the
    published inflows alone reach the published exits to housing (`observatoire_commun.ledger`,
    `bornes=True`)."""
    oui, non, inconnus = [], [], []
    for m in gr.derniers(12):
        reponse = g.zero_fonctionnel({c: gr.valeur(c, m) for c in (g.SORTIE_LOGEMENT, *g.ENTREES)}, bornes=True)
        (inconnus if reponse is None else oui if reponse else non).append(m)
    return oui, non, inconnus


def _liste(mois: list[str]) -> str:
    noms = [libelle_mois(m) for m in mois]
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def phrase_zero_fonctionnel(gr: Grille) -> str:
    """One French sentence: the months (of the last 12) in which exits to housing exceeded all
    inflows; months whose answer is unknown are said so, never counted as « non »."""
    derniers = gr.derniers(12)
    if not derniers:
        return ""
    oui, non, inconnus = lecture_zero_fonctionnel(gr)
    debut = f"Sur les {len(derniers)} derniers mois ({libelle_mois(derniers[0])} – {libelle_mois(derniers[-1])}), "
    if oui:
        texte = (f"{debut}les sorties vers le logement ont dépassé l'ensemble des entrées en {len(oui)} mois : "
                 f"{_liste(oui)}")
    elif non:
        texte = f"{debut}les sorties vers le logement n'ont dépassé l'ensemble des entrées " + (
            "en aucun mois" if not inconnus else
            f"dans aucun des {len(non)} mois connus" if len(non) > 1 else "pendant le seul mois connu")
    else:
        texte = f"{debut}on ne peut pas dire si les sorties vers le logement ont dépassé l'ensemble des entrées"
    if non and oui:
        texte += f" ; pas les {len(non)} autres mois connus" if len(non) > 1 else " ; pas l'autre mois connu"
    if inconnus:
        texte += (f" ; {'le mois' if len(inconnus) == 1 else f'les {len(inconnus)} mois'} {_liste(inconnus)} "
                  f"{'reste inconnu' if len(inconnus) == 1 else 'restent inconnus'} "
                  "(un terme secret ou le mois non couvert)")
    return texte + "."


# ------------------------------------------------------------------ returns and episodes


def tableau_annuel(cellules: pl.DataFrame, libelles: dict[str, str], unites: dict[str, str],
                   annees_montrees: int = 5) -> pl.DataFrame:
    """One row per code (returns at 6/12/24 months, episode length, long-stay households), one
    column per year for the last `annees_montrees` years with a published or secret cell, and the
    code's latest change: its last published year against the year before, when both are published
    (points for a rate, % otherwise; empty otherwise — a secret or absent year is never bridged)."""
    annees = sorted(cellules.filter(pl.col("statut") != "absent")["periode"].unique().to_list())
    if not annees:
        return pl.DataFrame()
    cases = {(c, p): (v, s) for c, p, v, s in cellules.select("indicateur", "periode", "valeur", "statut").iter_rows()}
    lignes = []
    for code in (*g.RETOURS, *g.EPISODES):
        unite = unites.get(code)
        ligne = {"Indicateur": libelles.get(code, code)}
        for a in annees[-annees_montrees:]:
            v, s = cases.get((code, a), (None, "absent"))
            ligne[a] = fr.valeur(v, s, unite)
        ligne["Unité"] = unite or ""
        publiees = [a for a in annees if cases.get((code, a), (None, "absent"))[1] == "ok"]
        evolution = ""
        if publiees and publiees[-1] != annees[0]:
            derniere = publiees[-1]
            precedente = str(int(derniere) - 1)
            v0, s0 = cases.get((code, precedente), (None, "absent"))
            if s0 == "ok":
                evolution = f"{fr.evolution(cases[(code, derniere)][0], v0, unite) or ''} ({precedente} → {derniere})"
        ligne["Dernière évolution"] = evolution
        lignes.append(ligne)
    return pl.DataFrame(lignes)


def graphique_annuel(cellules: pl.DataFrame, codes: tuple[str, ...], libelles: dict[str, str], titre: str,
                     unite: str, synthetique: bool) -> go.Figure:
    """One line per code by year; secret and absent years are gaps."""
    fig = go.Figure()
    annees = sorted(cellules.filter(pl.col("statut") != "absent")["periode"].unique().to_list())
    cases = {(c, p): (v, s) for c, p, v, s in cellules.select("indicateur", "periode", "valeur", "statut").iter_rows()}
    for code in codes:
        valeurs = [cases.get((code, a), (None, "absent")) for a in annees]
        fig.add_trace(go.Scatter(
            x=annees, y=[v if s == "ok" else None for v, s in valeurs], mode="lines+markers",
            name=libelles.get(code, code), meta=code, connectgaps=False,
            customdata=[fr.valeur(v, s, unite) for v, s in valeurs], hovertemplate="%{customdata}",
        ))
    periode = f"{annees[0]}–{annees[-1]}" if annees else "—"
    texte_note = note(SOURCE, periode, synthetique).replace(" · Données", "<br>Données")  # a half-width chart
    fig.update_layout(
        title={"text": f"{titre}<br><sup>{texte_note}</sup>"},
        separators=", ", xaxis={"type": "category", "title": "Année"},
        yaxis={"title": unite, "rangemode": "tozero", "tickformat": ",~f"},
        legend={"orientation": "h", "y": -0.25}, margin={"t": 100}, hovermode="x unified", height=420,
    )
    return fig


# ------------------------------------------------------------------------------- the section


def afficher(chemin: str, territoire_type: str, territoire_code: str, territoire: str, synthetique: bool,
             version: float | None = None) -> None:
    """The section G block of a page (Fiche territoire, Vue nationale) for one territory."""
    st.subheader("Flux des ménages sans domicile, mois par mois (SIAO)")
    catalogue = data.catalogue(chemin, version)
    libelles = {c: lib or c for c, lib in zip(catalogue["code"].to_list(), catalogue["libelle"].to_list(), strict=True)}
    unites = dict(zip(catalogue["code"].to_list(), catalogue["unite"].to_list(), strict=True))
    gr = grille(cellules_mensuelles(chemin, territoire_type, territoire_code, version))
    if not gr.mois:
        st.info("Aucun flux mensuel publié pour ce territoire (pas de fichier SIAO le couvrant deux mois de suite"
                + (", ou EPCI : flux publiés par département" if territoire_type == "epci" else "") + ").")
    else:
        choix = st.radio("Période du graphique", list(FENETRES), index=1, horizontal=True, key="ledger_periode")
        vue = gr.fenetre(FENETRES[choix])
        st.plotly_chart(graphique(vue, libelles, territoire, synthetique), width="stretch", key="ledger_mensuel")
        st.caption(
            "En haut, les ménages actifs à la fin de chaque mois (une demande, une orientation ou une admission "
            "depuis moins de 90 jours, sans sortie vers le logement depuis). En bas, les entrées du mois au-dessus "
            "de l'axe et les sorties en dessous ; le survol donne les nombres. " + note_lacunes(vue, libelles)
        )
        st.markdown("**Les 12 derniers mois**")
        douze = tableau(gr, libelles, unites)
        # a static table: every row and column in view, long headers wrapped
        st.table(douze.to_pandas().set_index("Mois"))
        st.write(phrase_zero_fonctionnel(gr))
        st.caption(
            "« Zéro fonctionnel » : un mois où les sorties vers le logement dépassent l'ensemble des entrées "
            "(nouveaux ménages, retours après un logement ou une inactivité, arrivées d'un autre territoire) fait "
            "baisser le nombre de ménages sans domicile par le logement. Un mois dont une entrée est secrète compte "
            "« non » quand les entrées publiées atteignent déjà les sorties vers le logement (un flux n'est jamais "
            "négatif) ; sinon il reste inconnu. « s » : secret statistique ; « — » : mois "
            "non couvert par un fichier SIAO ce mois et le précédent. Le stock de début de mois n'est égal à celui "
            "de la fin du mois précédent que si les départements couverts n'ont pas changé."
        )

    annuelles = cellules_annuelles(chemin, territoire_type, territoire_code, version)
    table = tableau_annuel(annuelles, libelles, unites)
    if table.is_empty():
        return
    st.markdown("**Retours après une sortie vers le logement et durée des épisodes, par année**")
    gauche, droite = st.columns(2)
    gauche.plotly_chart(
        graphique_annuel(annuelles, g.RETOURS, libelles, "Retours après une sortie vers le logement", "%", synthetique),
        width="stretch", key="ledger_retours",
    )
    droite.plotly_chart(
        graphique_annuel(annuelles, ("DUREE_EPISODE",), libelles, libelles.get("DUREE_EPISODE", "DUREE_EPISODE"),
                         unites.get("DUREE_EPISODE") or "jours", synthetique),
        width="stretch", key="ledger_duree",
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        "Retours : part des ménages sortis vers le logement dans l'année qui redeviennent actifs au SIAO "
        "(demande, orientation ou admission plus de 14 jours après la sortie) dans les 6 mois, de 6 à 12 mois, "
        "de 12 à 24 mois ; « — » pour les années trop récentes pour avoir ce recul. Durée : médiane, en jours, "
        "des épisodes terminés par une sortie vers le logement dans l'année. Évolution : en points pour un taux, "
        "en % sinon. « s » : secret statistique, jamais 0."
    )
