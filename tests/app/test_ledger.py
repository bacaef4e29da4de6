"""Section G in the app: the monthly ledger chart, its last 12 months, the « zéro fonctionnel »
reading, returns and episodes, on a hand-made ledger of the Ain (and France) whose values are
written here and whose expected readings are worked out by hand below."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
import streamlit as st

from observatory_app import ledger
from tests.app.conftest import construire
from tests.app.test_pages import ouvrir, texte

RACINE = Path(__file__).resolve().parents[2]
ENTREES = ("ENTREES_NOUVEAUX", "ENTREES_RETOUR_LOGEMENT", "ENTREES_RETOUR_INACTIVITE", "TRANSFERTS_ENTRANTS")
SORTIES = ("SORTIES_LOGEMENT", "SORTIES_INACTIVITE", "TRANSFERTS_SORTANTS")

# True flows per month: (new, back from housing, back from inactivity, arrivals,
#                        to housing, to inactivity, departures). Stock at the start of 2024-02: 600.
FLUX = {
    "2024-02": (30, 12, 15, 11, 20, 25, 12),
    "2024-03": (30, 12, 15, 11, 70, 25, 12),
    "2024-04": (20, 11, 12, 11, 40, 20, 11),
    "2024-05": (25, 5, 14, 8, 90, 20, 11),   # 5 and 8 are published secret
    "2024-06": (20, 11, 12, 11, 55, 20, 11),
    "2024-07": (20, 11, 12, 11, 30, 20, 11),  # absent (rows with statut absent)
    "2024-08": (20, 11, 12, 11, 54, 20, 11),
    "2024-09": (20, 11, 12, 11, 30, 20, 11),  # absent (no row at all)
    "2024-10": (40, 15, 15, 15, 30, 20, 11),
    "2024-11": (12, 11, 11, 11, 60, 20, 12),  # ACTIFS and SOLDE_ACTIFS published secret
    "2024-12": (25, 6, 11, 11, 30, 20, 11),   # 6 and the 11 arrivals are published secret
    "2025-01": (20, 11, 11, 11, 30, 20, 11),
    "2025-02": (11, 11, 11, 11, 50, 15, 11),
}
SECRETS = {("ENTREES_RETOUR_LOGEMENT", "2024-05"), ("TRANSFERTS_ENTRANTS", "2024-05"),
           ("ACTIFS", "2024-11"), ("SOLDE_ACTIFS", "2024-11"),
           ("ENTREES_RETOUR_LOGEMENT", "2024-12"), ("TRANSFERTS_ENTRANTS", "2024-12")}
ABSENT_LIGNES = "2024-07"
ABSENT_SANS_LIGNE = "2024-09"

# Worked out by hand from FLUX, last 12 months = 2024-03 … 2025-02 (2024-02 is the 13th):
# exits to housing > new + back from housing + back from inactivity + arrivals
#   2024-03: 70 > 68 yes · 2024-04: 40 > 54 no · 2024-05: a term secret → unknown
#   2024-06: 55 > 54 yes · 2024-07: absent → unknown · 2024-08: 54 > 54 no (equal)
#   2024-09: absent → unknown · 2024-10: 30 > 85 no · 2024-11: 60 > 45 yes (the secret stock
#   is not a term) · 2024-12: two inflows secret, but the published ones (25 + 11 = 36) already reach
#   the 30 exits to housing, and a flow is never negative: no, for sure · 2025-01: 30 > 53 no
#   · 2025-02: 50 > 44 yes (2024-05: the published inflows 25 + 14 = 39 < 90: stays unknown)
OUI = ["2024-03", "2024-06", "2024-11", "2025-02"]
INCONNUS = ["2024-05", "2024-07", "2024-09"]

# Yearly: (code, year) → value, None = secret; RETOUR_12_24M 2024 absent (not 24 months back yet)
ANNUELS = {
    ("RETOUR_0_6M", "2023"): 12.5, ("RETOUR_0_6M", "2024"): 15.0,
    ("RETOUR_6_12M", "2023"): 8.0, ("RETOUR_6_12M", "2024"): None,
    ("RETOUR_12_24M", "2023"): 5.0,
    ("DUREE_EPISODE", "2023"): 120.0, ("DUREE_EPISODE", "2024"): 105.0,
    ("LONGUE_DUREE", "2023"): 40.0, ("LONGUE_DUREE", "2024"): 35.0,
}


def catalogue_g() -> dict[str, dict[str, str]]:
    """Section G rows of the catalogue the pipeline publishes (data/config/indicateurs.csv)."""
    with open(RACINE / "data" / "config" / "indicateurs.csv", encoding="utf-8") as f:
        return {r["code"]: r for r in csv.DictReader(f) if r["section"] == "G"}


def cellules() -> list[tuple[str, str, float | None, str]]:
    """(code, month, value, statut) of the monthly ledger, identity exact on the true values."""
    lignes = []
    stock = 600
    for mois, flux in FLUX.items():
        entrees, sorties = flux[:4], flux[4:]
        fin = stock + sum(entrees) - sum(sorties)
        vraies = {"ACTIFS_DEBUT": stock, **dict(zip(ENTREES, entrees, strict=True)),
                  **dict(zip(SORTIES, sorties, strict=True)),
                  "ACTIFS": fin, "SOLDE_ACTIFS": fin - stock}
        stock = fin
        if mois == ABSENT_SANS_LIGNE:
            continue
        for code, v in vraies.items():
            if mois == ABSENT_LIGNES:
                lignes.append((code, mois, None, "absent"))
            elif (code, mois) in SECRETS:
                lignes.append((code, mois, None, "secret"))
            else:
                lignes.append((code, mois, float(v), "ok"))
    # 2024-01: the département's first month with a file is absent; it opens no gap on the chart
    lignes += [(code, "2024-01", None, "absent") for code in ("ACTIFS", "SORTIES_LOGEMENT")]
    return lignes


def ajouter_ledger(chemin) -> None:
    with duckdb.connect(str(chemin)) as conn:
        for r in catalogue_g().values():
            conn.execute("insert into publication.catalogue values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [r["code"], r["libelle"], r["unite"], r["section"], r["definition"], r["numerateur"],
                          r["denominateur"] or None, r["source"], r["periodicite"], r["type"]])
        for ttype, code, libelle in (("departement", "01", "Ain"), ("france", "FR", "France")):
            lignes = [(c, p, v, s) for c, p, v, s in cellules()] + [
                (c, a, v, "ok" if v is not None else "secret") for (c, a), v in ANNUELS.items()
            ] + [("RETOUR_12_24M", "2024", None, "absent")]
            conn.executemany(
                "insert into publication.indicateurs values (?, ?, ?, ?, ?, ?, null, null, ?, 'siao', 0)",
                [(c, ttype, code, libelle, p, v, s) for c, p, v, s in lignes],
            )


@pytest.fixture
def publication_ledger(tmp_path, monkeypatch):
    chemin = tmp_path / "observatoire.duckdb"
    construire(chemin)
    ajouter_ledger(chemin)
    monkeypatch.setenv("OBSERVATOIRE_PUBLICATION", str(chemin))
    st.cache_data.clear()
    yield chemin
    st.cache_data.clear()


def _grille(chemin):
    return ledger.grille(ledger.cellules_mensuelles(str(chemin), "departement", "01"))


def _libelles():
    return {c: r["libelle"] for c, r in catalogue_g().items()}


def test_grille_du_premier_au_dernier_mois_publie(publication_ledger):
    gr = _grille(publication_ledger)
    assert gr.mois == list(FLUX)  # 2024-01 (absent) left out; 2024-09 (no row) kept, as a gap
    assert gr.mois_absents() == [ABSENT_LIGNES, ABSENT_SANS_LIGNE]


def test_graphique_entrees_positives_sorties_negatives_secret_en_creux(publication_ledger):
    gr = _grille(publication_ledger)
    fig = ledger.graphique(gr, _libelles(), "Ain (département 01)", True)
    traces = {t.meta: t for t in fig.data}
    assert set(traces) == {"ACTIFS", *ENTREES, *SORTIES}
    mars = gr.mois.index("2024-03")
    # the fixture's values, inflows above the axis and outflows below it
    assert [traces[c].y[mars] for c in ENTREES] == [30, 12, 15, 11]
    assert [traces[c].y[mars] for c in SORTIES] == [-70, -25, -12]
    assert traces["ACTIFS"].y[mars] == 600 + 68 - 57 + 68 - 107  # = 572, end of March
    for c in ENTREES:
        assert all(v is None or v > 0 for v in traces[c].y)
    for c in SORTIES:
        assert all(v is None or v < 0 for v in traces[c].y)
    # the hover gives the true positive count
    assert traces["SORTIES_LOGEMENT"].customdata[mars] == "70"
    # labels are the catalogue's
    assert traces["SORTIES_LOGEMENT"].name == catalogue_g()["SORTIES_LOGEMENT"]["libelle"]
    # secret cells and absent months are gaps, never 0
    mai, juillet, septembre, novembre = (gr.mois.index(m) for m in ("2024-05", "2024-07", "2024-09", "2024-11"))
    assert traces["ENTREES_RETOUR_LOGEMENT"].y[mai] is None
    assert traces["TRANSFERTS_ENTRANTS"].y[mai] is None
    assert traces["ENTREES_NOUVEAUX"].y[mai] == 25
    assert traces["ACTIFS"].y[novembre] is None
    for c in ("ACTIFS", *ENTREES, *SORTIES):
        assert traces[c].y[juillet] is None and traces[c].y[septembre] is None
    assert traces["ACTIFS"].connectgaps is False
    assert fig.layout.barmode == "relative"
    # one month axis for both panels: the hover of a month lists the stock with the flows
    assert {t.xaxis or "x" for t in fig.data} == {"x"} and fig.layout.hoversubplots == "axis"
    assert "Données synthétiques de démonstration" in fig.layout.title.text


def test_note_compte_les_mois_absents_et_les_cases_secretes(publication_ledger):
    note = ledger.note_lacunes(_grille(publication_ledger), _libelles())
    assert "2 mois sur 13" in note
    assert "juillet 2024, septembre 2024" in note
    assert "retours après un logement 2 mois" in note
    assert "arrivées d'un autre territoire 2 mois" in note
    assert "ménages actifs en fin de mois 1 mois" in note
    assert "jamais à 0" in note


def test_tableau_des_12_derniers_mois(publication_ledger):
    lib = _libelles()
    table = ledger.tableau(_grille(publication_ledger), lib, {c: r["unite"] for c, r in catalogue_g().items()})
    assert table["Mois"].to_list()[0] == "mars 2024" and table["Mois"].to_list()[-1] == "février 2025"
    assert table.height == 12
    lignes = {r["Mois"]: r for r in table.iter_rows(named=True)}
    assert lignes["mai 2024"][lib["ENTREES_RETOUR_LOGEMENT"]] == "s"
    assert lignes["mai 2024"][lib["SORTIES_LOGEMENT"]] == "90"
    assert lignes["juillet 2024"][lib["ACTIFS"]] == "—"
    assert lignes["septembre 2024"][lib["SORTIES_LOGEMENT"]] == "—"
    assert lignes["novembre 2024"][lib["ACTIFS"]] == "s"
    assert lignes["décembre 2024"][lib["TRANSFERTS_ENTRANTS"]] == "s"
    assert lignes["mars 2024"][lib["ACTIFS_DEBUT"]] == "611"   # 600 + 68 − 57
    assert lignes["mars 2024"][lib["ACTIFS"]] == "572"
    assert lignes["mars 2024"][lib["SOLDE_ACTIFS"]] == "-39"


def test_zero_fonctionnel_nomme_les_bons_mois(publication_ledger):
    gr = _grille(publication_ledger)
    oui, non, inconnus = ledger.lecture_zero_fonctionnel(gr)
    assert oui == OUI
    assert inconnus == INCONNUS
    assert non == ["2024-04", "2024-08", "2024-10", "2024-12", "2025-01"]  # 2024-08: 54 = 54 is not more
    phrase = ledger.phrase_zero_fonctionnel(gr)
    assert "en 4 mois : mars 2024, juin 2024, novembre 2024 et février 2025" in phrase
    assert "les 3 mois mai 2024, juillet 2024 et septembre 2024 restent inconnus" in phrase
    assert "pas les 5 autres mois connus" in phrase


def test_zero_fonctionnel_borne_par_les_entrees_publiees():
    """`bornes=True`: published inflows reaching the published exits to housing answer « no »
    whatever the secret inflows; exits to housing secret, or inflows below them: still unknown."""
    from observatoire_commun.ledger import zero_fonctionnel
    mois = {"SORTIES_LOGEMENT": 30, "ENTREES_NOUVEAUX": 25, "ENTREES_RETOUR_LOGEMENT": None,
            "ENTREES_RETOUR_INACTIVITE": 5, "TRANSFERTS_ENTRANTS": None}
    assert zero_fonctionnel(mois, bornes=True) is False   # 25 + 5 = 30 ≥ 30
    assert zero_fonctionnel(mois) is None                  # default: unchanged
    assert zero_fonctionnel({**mois, "ENTREES_RETOUR_INACTIVITE": 4}, bornes=True) is None   # 29 < 30
    assert zero_fonctionnel({**mois, "SORTIES_LOGEMENT": None}, bornes=True) is None


def test_zero_fonctionnel_jamais_atteint(publication_ledger):
    """The known months only, none reached: « en aucun mois », no unknown month announced."""
    gr = _grille(publication_ledger)
    gr.mois = ["2024-04", "2024-08", "2024-10"]   # 40 < 54, 54 = 54, 30 < 85
    phrase = ledger.phrase_zero_fonctionnel(gr)
    assert phrase.endswith("les sorties vers le logement n'ont dépassé l'ensemble des entrées en aucun mois.")


def test_zero_fonctionnel_un_seul_mois_connu(publication_ledger):
    gr = _grille(publication_ledger)
    gr.mois = ["2024-04", ABSENT_LIGNES]
    phrase = ledger.phrase_zero_fonctionnel(gr)
    assert ("n'ont dépassé l'ensemble des entrées pendant le seul mois connu ; "
            "le mois juillet 2024 reste inconnu") in phrase


def test_zero_fonctionnel_aucun_mois_connu(publication_ledger):
    """Only unknown months: said as unknown, never as « aucun mois »."""
    gr = _grille(publication_ledger)
    gr.mois = [ABSENT_LIGNES, ABSENT_SANS_LIGNE]
    phrase = ledger.phrase_zero_fonctionnel(gr)
    assert "on ne peut pas dire si" in phrase and "aucun" not in phrase
    assert "juillet 2024 et septembre 2024 restent inconnus" in phrase


def test_retours_et_episodes_par_annee(publication_ledger):
    lib = _libelles()
    annuelles = ledger.cellules_annuelles(str(publication_ledger), "departement", "01")
    table = ledger.tableau_annuel(annuelles, lib, {c: r["unite"] for c, r in catalogue_g().items()})
    lignes = {r["Indicateur"]: r for r in table.iter_rows(named=True)}
    nb = "\u00a0"
    r06 = lignes[lib["RETOUR_0_6M"]]
    assert (r06["2023"], r06["2024"]) == (f"12,5{nb}%", f"15,0{nb}%")
    assert r06["Dernière évolution"] == "+2,5 pt (2023 → 2024)"
    r612 = lignes[lib["RETOUR_6_12M"]]
    assert (r612["2024"], r612["Dernière évolution"]) == ("s", "")  # 2024 secret: no change, 2022 unknown
    assert lignes[lib["RETOUR_12_24M"]]["2024"] == "—"
    duree = lignes[lib["DUREE_EPISODE"]]
    assert (duree["2023"], duree["2024"], duree["Dernière évolution"]) == ("120", "105", f"-12,5{nb}% (2023 → 2024)")
    retours = ("RETOUR_0_6M", "RETOUR_6_12M", "RETOUR_12_24M")
    fig = ledger.graphique_annuel(annuelles, retours, lib, "Retours", "%", True)
    traces = {t.meta: t for t in fig.data}
    assert list(traces["RETOUR_0_6M"].y) == [12.5, 15.0]
    assert list(traces["RETOUR_6_12M"].y) == [8.0, None]   # secret: a gap
    assert list(traces["RETOUR_12_24M"].y) == [5.0, None]  # absent: a gap


def _spec_ledger(at) -> dict:
    return next(spec for spec in (json.loads(g.proto.spec) for g in at.get("plotly_chart"))
                if any(t.get("meta") == "SORTIES_LOGEMENT" for t in spec["data"]))


def test_fiche_territoire_montre_le_ledger(publication_ledger):
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    at.selectbox(key="territoire").select_index(options.index(next(o for o in options if "Ain" in o))).run()
    assert not at.exception
    spec = _spec_ledger(at)
    traces = {t["meta"]: t for t in spec["data"]}
    mars = spec["data"][0]["x"].index("2024-03")
    assert traces["SORTIES_LOGEMENT"]["y"][mars] == -70
    assert traces["ENTREES_NOUVEAUX"]["y"][mars] == 30
    assert "Ain" in spec["layout"]["title"]["text"]
    douze = at.table[0].value
    assert douze.index.name == "Mois" and len(douze) == 12
    assert douze.loc["mai 2024", _libelles()["ENTREES_RETOUR_LOGEMENT"]] == "s"
    assert douze.loc["mai 2024", _libelles()["SORTIES_LOGEMENT"]] == "90"
    contenu = texte(at)
    assert "mars 2024, juin 2024, novembre 2024 et février 2025" in contenu
    assert "2 mois sur 13" in contenu
    # the chart's period: the last 12 months only (2024-02 left out), the note counts over them
    at.radio(key="ledger_periode").set_value("12 derniers mois").run()
    spec = _spec_ledger(at)
    assert spec["data"][0]["x"][0] == "2024-03" and len(spec["data"][0]["x"]) == 12
    assert "2 mois sur 12" in texte(at)


def test_vue_nationale_montre_le_ledger_de_la_france(publication_ledger):
    at = ouvrir()
    spec = _spec_ledger(at)
    assert "France" in spec["layout"]["title"]["text"]
    traces = {t["meta"]: t for t in spec["data"]}
    assert traces["ENTREES_RETOUR_LOGEMENT"]["y"][spec["data"][0]["x"].index("2024-05")] is None
    assert any(t.get("meta") == "RETOUR_0_6M" for g in at.get("plotly_chart") for t in json.loads(g.proto.spec)["data"])


def test_territoire_sans_flux_mensuel(publication_ledger):
    """The Aisne has no section G cell: a French message, no chart drawn at 0."""
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    at.selectbox(key="territoire").select_index(options.index(next(o for o in options if "Aisne" in o))).run()
    assert not at.exception
    assert any("Aucun flux mensuel publié" in i.value for i in at.info)
    assert not any(t.get("meta") == "SORTIES_LOGEMENT" for g in at.get("plotly_chart")
                   for t in json.loads(g.proto.spec)["data"])
