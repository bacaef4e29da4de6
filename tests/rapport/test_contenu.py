"""The report's content on the tiny hand-made publication (`conftest.construire_minuscule`): the
right answers are written here. No chart is rendered: these tests take a second."""

from __future__ import annotations

import base64
import re
from datetime import date

import duckdb
import pytest

from assets.rapport import contenu as ct
from assets.rapport.donnees import RapportError, charger
from observatoire_commun import format as fr
from tests.rapport.conftest import ANNEE_MINUSCULE, LDA_A, LDA_B, construire_minuscule

NNBSP = "\u202f"


@pytest.fixture
def contenu(minuscule):
    return ct.construire(charger(minuscule, ANNEE_MINUSCULE))


def fiche(contenu, code: str) -> dict:
    (page,) = [f for f in contenu.contexte["fiches"] if f["code"] == code]
    return page


def ligne(lignes: list[dict], code: str) -> dict:
    (l,) = [x for x in lignes if x["code"] == code]
    return l


def test_headline_figures_are_the_published_values_in_french(contenu):
    cartes = {c["code"]: c for c in contenu.contexte["synthese"]["cartes"]}
    assert list(cartes) == ct.CHIFFRES_CLES
    assert cartes["ATTR_SD"]["n"] == "789"
    assert cartes["ATTR_SD"]["n_1"] == "600"
    assert cartes["ATTR_SD"]["evolution"] == "+31,5\u00a0%"
    assert cartes["DEM_URG"]["n"] == f"23{NNBSP}456"
    assert cartes["TX_ATTR_SD"]["n"] == "6,4\u00a0%"
    assert cartes["TX_ATTR_SD"]["evolution"] == "+0,9 pt"
    assert cartes["NDLS_PERS"]["n"] == f"3{NNBSP}250"
    assert cartes["PLACES_PF"]["n"] == "612"


def test_secret_cell_is_s_never_zero_and_hides_its_change(contenu):
    lignes = fiche(contenu, LDA_A)["lignes"]
    attr = ligne(lignes, "ATTR_SD")
    assert (attr["n_1"], attr["n"], attr["evolution"]) == ("200", "s", "s")
    assert attr["comparaisons"] == ["400", "789"]  # group LDA, France
    assert ligne(lignes, "TX_ATTR_SD")["n"] == "s"


def test_absent_cell_is_a_dash(contenu):
    # Métropole de Test holds no Nuit de la Solidarité: no NDLS_PERS row at all.
    ndls = ligne(fiche(contenu, LDA_A)["lignes"], "NDLS_PERS")
    assert (ndls["n_1"], ndls["n"], ndls["evolution"]) == ("—", "—", "—")
    # An indicator the catalogue of this file does not have is absent too, never 0.
    assert ligne(fiche(contenu, LDA_A)["lignes"], "DELAI_ATTR_SD")["n"] == "—"


def test_one_page_per_lda_territory_in_call_order(contenu):
    assert [f["code"] for f in contenu.contexte["fiches"]] == [LDA_A, LDA_B]
    assert fiche(contenu, LDA_A)["reference"] == 2017
    assert fiche(contenu, LDA_A)["population"] == f"300{NNBSP}000"


def test_evaluation_from_the_published_table_with_its_interval(contenu):
    groupe = {(g["annee"], g["ligne"].indicateur): g["ligne"] for g in contenu.contexte["comparaison"]["groupe"]}
    tx = groupe[(2019, "TX_ATTR_SD")]
    assert (tx.valeur_reference, tx.valeur) == ("5,0\u00a0%", "8,0\u00a0%")
    assert (tx.evolution_territoire, tx.evolution_reste, tx.did) == ("+3,0\u00a0pt", "+0,3\u00a0pt", "+2,7\u00a0pt")
    assert tx.intervalle == "[+1,3 ; +4,5]"
    assert contenu.contexte["comparaison"]["intervalle_publie"] is True
    assert "descriptive, pas causale" in contenu.contexte["comparaison"]["methode"]
    # 2018 has no row in the table: the report computes no difference of its own.
    tx18 = groupe[(2018, "TX_ATTR_SD")]
    assert (tx18.did, tx18.intervalle) == ("—", "—")
    assert tx18.valeur == "5,9\u00a0%"  # the published value itself is shown


def test_evaluation_of_a_secret_territory_is_secret(contenu):
    e = fiche(contenu, LDA_A)["evaluations"]["TX_ATTR_SD"]
    assert (e.valeur, e.evolution_territoire, e.did, e.intervalle) == ("s", "s", "s", "s")
    assert e.evolution_reste == "+0,3\u00a0pt"  # the rest of France is published
    assert fiche(contenu, LDA_B)["evaluations"] == {}  # 2019 is before its reference year 2020


def test_evaluation_without_the_table_is_not_recomputed(tmp_path):
    """The difference in differences is the evaluation asset's only: without publication.evaluation_lda
    the report shows « — » (it used to recompute +2,7 pt from the published values)."""
    chemin = construire_minuscule(tmp_path / "p.duckdb", evaluation=False)
    contenu = ct.construire(charger(chemin, ANNEE_MINUSCULE))
    groupe = {(g["annee"], g["ligne"].indicateur): g["ligne"] for g in contenu.contexte["comparaison"]["groupe"]}
    assert (groupe[(2019, "TX_ATTR_SD")].did, groupe[(2019, "TX_ATTR_SD")].intervalle) == ("—", "—")
    assert groupe[(2019, "ATTR_SD_100K")].did == "—"
    assert contenu.contexte["comparaison"]["intervalle_publie"] is False
    assert "pas une mesure d'effet causal" in contenu.contexte["comparaison"]["methode"]


def test_every_figure_says_source_period_and_synthetic(contenu):
    assert len(contenu.figures) == 5  # synthesis, groups, one per territory (2), Nuits de la Solidarité
    for fig in contenu.figures:
        assert fig.layout.separators == ", "
        assert fig.layout.xaxis.type == "category" or fig.data[0].orientation == "h"
        texte = fig.layout.annotations[0].text
        assert "Source :" in texte and "Période :" in texte
        assert "Données synthétiques de démonstration" in texte


def test_secret_points_are_gaps_not_zeros(contenu):
    fig = contenu.figures[fiche(contenu, LDA_A)["figure"]]
    trace = fig.data[0]  # the territory
    points = dict(zip(trace.x, trace.y))
    assert points["2019"] is None and points["2018"] == pytest.approx(6.0606)


def test_real_data_carry_no_synthetic_mention(tmp_path):
    chemin = construire_minuscule(tmp_path / "p.duckdb", synthetique=False)
    contenu = ct.construire(charger(chemin, ANNEE_MINUSCULE))
    assert contenu.contexte["synthetique"] is False
    assert all("synthétiques" not in fig.layout.annotations[0].text for fig in contenu.figures)


def test_quality_and_methodology_come_from_the_file(contenu):
    qualite = contenu.contexte["qualite"]
    siao = [s for s in qualite["sources"] if s["source"].startswith("SI-SIAO")][0]
    assert (siao["fichiers"], siao["lues"], siao["quarantaine"], siao["part"]) == ("1", f"1{NNBSP}000", "10", "1,00\u00a0%")
    assert [r["regle"] for r in qualite["regles"]] == ["date invalide", "ligne mal formée (nombre de champs incorrect)"]
    # The refused file is listed with its reason, not counted among the loaded ones.
    assert qualite["refuses"] == [{"source": "SI-SIAO (demandes d'hébergement)", "fichier": "siao_02_2019-01.csv",
                                   "motif": "colonne obligatoire absente « Date d'extraction »"}]
    # The Baromètre: 1 080 read = 0 accepted + 0 quarantined + 1 080 skipped, shown.
    barometre = [s for s in qualite["sources"] if s["source"].startswith("Baromètre")][0]
    assert (barometre["lues"], barometre["acceptees"], barometre["quarantaine"], barometre["ignorees"]) == (
        f"1{NNBSP}080", "0", "0", f"1{NNBSP}080")
    assert all(s["equilibre"] for s in qualite["sources"])
    # Paris time (UTC+2 in July), the failed check counted and listed first.
    assert barometre["dernier"] == "2 juillet 2020 à 05 h 04"
    assert qualite["controles_resume"] == "1 en échec, 1 contrôle réussi sur 2"
    assert [c["resultat"] for c in qualite["controles"]] == ["en échec", "réussi"]
    codes = [l["code"] for s in contenu.contexte["methodologie"]["sections"] for l in s["lignes"]]
    assert sorted(codes) == sorted(["ATTR_TOT", "ATTR_SD", "TX_ATTR_SD", "DEM_URG", "NDLS_PERS", "NDLS_EVOL_PC",
                                    "PLACES_PF"])


def test_missing_file_and_year_without_data(tmp_path, minuscule):
    with pytest.raises(RapportError, match="Fichier de publication introuvable"):
        charger(tmp_path / "absent.duckdb", 2019)
    with pytest.raises(RapportError, match="Aucune donnée publiée pour l'année 2010.*2017 à 2019"):
        charger(minuscule, 2010)
    autre = tmp_path / "autre.duckdb"
    with duckdb.connect(str(autre)) as conn:
        conn.execute("create table t (x int)")
    with pytest.raises(RapportError, match="n'est pas un fichier de publication"):
        charger(autre, 2019)


def test_french_formatting_helpers():
    assert ct.evolution_texte((5.0, "ok"), (5.02, "ok"), "%") == "0,0 pt"  # never « -0,0 »
    assert ct.evolution_texte((None, "secret"), (5.0, "ok"), "%") == fr.SECRET
    assert ct.evolution_texte((None, "absent"), (5.0, "ok"), "nombre") == fr.ABSENT
    assert ct.signe(-0.04, 1, "pt") == "0,0\u00a0pt"
    assert ct.date_francaise("2026-01-02T03:04:05+00:00") == "2 janvier 2026"


def test_kaleido_fallback_draws_the_same_svg(contenu):
    """Without a Playwright browser, the figures are drawn by kaleido (same plotly.js, same SVG)."""
    from assets.rapport import graphiques as gr

    rendu = gr.rendre(contenu.figures[:1])
    assert rendu.statique and rendu.plotly_js is None
    (fragment,) = rendu.fragments
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", fragment).group(1)).decode("utf-8")
    assert "<svg" in svg and "Données synthétiques de démonstration" in svg


def test_ndls_change_is_the_published_constant_perimeter_change(contenu, minuscule):
    """Raw totals 3 100 → 3 250 (+4,8 %) but NDLS_EVOL_PC is −1,2 %: the report shows −1,2 % for France
    (card and table), the group and the city, and never the raw-total change."""
    carte = {c["code"]: c for c in contenu.contexte["synthese"]["cartes"]}["NDLS_PERS"]
    assert carte["evolution"] == "-1,2\u00a0%" and carte["evolution_libelle"] == "évolution à périmètre constant"
    assert "somme des villes décomptées" in carte["libelle"]
    (section_d,) = [s for s in contenu.contexte["synthese"]["sections"] if s["titre"].startswith("D.")]
    france = ligne(section_d["lignes"], "NDLS_PERS")
    assert france["evolution"] == "-1,2\u00a0%"
    assert france["libelle"].endswith("(somme des villes décomptées) — évolution à périmètre constant")
    assert ligne(section_d["lignes"], "NDLS_EVOL_PC")["evolution"] == ct.NON_COMPARABLE
    ville = ligne(fiche(contenu, LDA_B)["lignes"], "NDLS_PERS")
    assert (ville["n_1"], ville["n"], ville["evolution"]) == (f"3{NNBSP}100", f"3{NNBSP}250", "-1,2\u00a0%")
    assert "somme" not in ville["libelle"]
    groupe = ct.evolution_indicateur(charger(minuscule, ANNEE_MINUSCULE), "NDLS_PERS", "groupe", "LDA", ANNEE_MINUSCULE)
    assert groupe == "-1,2\u00a0%"
    textes = [l["evolution"] for l in section_d["lignes"]] + [ville["evolution"], carte["evolution"]]
    assert "+4,8\u00a0%" not in textes
    assert contenu.contexte["ndls"]["perimetre"] == (
        "« France » n'est pas la France entière : c'est la somme des villes qui ont tenu une Nuit de la "
        "Solidarité en 2019, dans 1 département (Paris).")
    ndls = {l["libelle"]: l for l in contenu.contexte["ndls"]["lignes"]}
    assert ndls["France (somme des villes décomptées)"]["evolution"] == "-1,2\u00a0%"
    assert ndls["Ville de Test"]["evolution"] == "-1,2\u00a0%"


def test_a_year_not_over_or_incomplete_is_refused_in_french(tmp_path):
    """Only the Nuit de la Solidarité of 2020 is published (as Paris's total for the year in
    progress): 2020 is refused, whether it is not over yet or over but incomplete."""
    chemin = construire_minuscule(tmp_path / "p.duckdb", annee_ndls_seule="2020")
    with pytest.raises(RapportError, match=r"L'année 2020 n'est pas terminée .*la dernière est 2019 "
                                           r"\(années disponibles : 2017 à 2019"):
        charger(chemin, 2020, aujourdhui=date(2020, 12, 6))
    with pytest.raises(RapportError, match=r"Données incomplètes pour l'année 2020 .*la France n'y a que 1 valeurs "
                                           r"publiées, contre 7 .*années disponibles : 2017 à 2019"):
        charger(chemin, 2020, aujourdhui=date(2026, 12, 6))
    assert charger(chemin, 2019, aujourdhui=date(2020, 12, 6)).annees == [2017, 2018, 2019]
    # A year not over is refused even when complete: 2019 on 6 December 2019.
    with pytest.raises(RapportError, match="L'année 2019 n'est pas terminée"):
        charger(chemin, 2019, aujourdhui=date(2019, 12, 6))


def test_the_demo_scale_is_stated(contenu, tmp_path):
    echelle = contenu.contexte["couverture"]["echelle"]
    assert echelle.startswith("Échelle de la démonstration : 5 % des volumes nationaux")
    reel = ct.construire(charger(construire_minuscule(tmp_path / "r.duckdb", synthetique=False), ANNEE_MINUSCULE))
    assert reel.contexte["couverture"]["echelle"] == ""
