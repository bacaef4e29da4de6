"""The report's national page states the Baromètre target, the observatory's count since 2023 and
the monthly pace needed (the tiny publication of tests/rapport with a target and two years of
ATTR_SD_PERS added; the numbers computed by hand)."""

import re
from html import unescape

import duckdb

from assets.rapport import contenu as ct
from assets.rapport import graphiques as gr
from assets.rapport.donnees import charger
from assets.rapport.rendu import html
from pipelines.config import SQL_DIR
from tests.rapport.conftest import ANNEE_MINUSCULE, LDA_A, LDA_B, construire_minuscule


def _html(chemin) -> str:
    contenu = ct.construire(charger(chemin, ANNEE_MINUSCULE))
    texte = html(contenu, gr.Rendu(fragments=[""] * len(contenu.figures), statique=True))
    return re.sub(r"[\s\u00a0\u202f]+", " ", unescape(re.sub(r"<[^>]+>", " ", texte)))


def test_national_page_states_target_and_pace(tmp_path):
    chemin = construire_minuscule(tmp_path / "p.duckdb")
    with duckdb.connect(str(chemin)) as conn:
        conn.execute((SQL_DIR / "diffusion" / "objectifs_vide.sql").read_text(encoding="utf-8")).fetchall()
        conn.execute("insert into publication.objectifs (serie, territoire_type, territoire_code, date_cible, "
                     "valeur_initiale, valeur_actuelle, date_actuelle, valeur_cible, taux_avancement, source) "
                     "values ('BAROMETRE_LDA_PERSONNES', 'france', 'FR', "
                     "date '2026-12-01', 0, 900, date '2024-05-01', 8000, 11.25, 'test')").fetchall()
        for periode, valeur in (("2023", 1500.0), ("2024", 1700.0)):
            conn.execute(
                "insert into publication.indicateurs select * replace ('ATTR_SD_PERS' as indicateur, "
                "$p as periode, $v as valeur, 'ok' as statut) from publication.indicateurs "
                "where indicateur = 'ATTR_SD' and territoire_type = 'france' and periode = $a",
                {"p": periode, "v": valeur, "a": str(ANNEE_MINUSCULE)},
            ).fetchall()
    # 1 500 + 1 700 = 3 200 since 2023; 8 000 − 3 200 = 4 800 in 24 months = 200 a month
    texte = _html(chemin)
    assert ("Cible : 8 000 personnes fin décembre 2026 ; l'observatoire en compte 3 200 de 2023 à 2024 : "
            "il reste 4 800 personnes en 24 mois, soit 200 par mois.") in texte


def test_no_target_no_sentence(tmp_path):
    chemin = construire_minuscule(tmp_path / "p.duckdb")
    assert "Cible :" not in _html(chemin)


def _section(chemin, ident: str) -> str:
    contenu = ct.construire(charger(chemin, ANNEE_MINUSCULE))
    texte = html(contenu, gr.Rendu(fragments=[""] * len(contenu.figures), statique=True))
    debut = texte.index(f'id="{ident}"')
    fin = texte.index("</section>", debut)
    return re.sub(r"[\s\u00a0\u202f]+", " ", unescape(re.sub(r"<[^>]+>", " ", texte[debut:fin])))


def test_territory_pages_state_their_local_target(tmp_path):
    """A local target of a Logement d'abord territory is stated on its own page only. Ville de Test
    (LDA_B), ATTR_SD in the tiny publication: 2017 = 50, 2018 = 60, 2019 = 80 → 190 since 2017 (initial
    date December 2016); 500 − 190 = 310 in 24 months (2020-01 … 2021-12) = 12.9 a month. Métropole de
    Test (LDA_A): 2019 is secret, the pace is unknown."""
    chemin = construire_minuscule(tmp_path / "p.duckdb")
    with duckdb.connect(str(chemin)) as conn:
        conn.execute((SQL_DIR / "diffusion" / "objectifs_vide.sql").read_text(encoding="utf-8")).fetchall()
        for code, libelle in ((LDA_B, "Objectif de la ville"), (LDA_A, "Objectif de la métropole")):
            conn.execute(
                "insert into publication.objectifs (serie, indicateur, territoire_type, territoire_code, date_cible, "
                "valeur_initiale, date_initiale, valeur_cible, source, libelle) values ('ATTR_SD', 'ATTR_SD', "
                "'territoire_lda', $c, date '2021-12-01', 0, date '2016-12-01', 500, 'objectif local', $l)",
                {"c": code, "l": libelle},
            ).fetchall()
    ville, metropole = _section(chemin, f"fiche-{LDA_B}"), _section(chemin, f"fiche-{LDA_A}")
    assert ("Cible : 500 attributions SD fin décembre 2021 ; l'observatoire en compte 190 de 2017 à 2019 : "
            "il reste 310 attributions SD en 24 mois, soit 13 par mois. (objectif local, ATTR_SD : "
            "Objectif de la ville)") in ville
    assert "Objectif de la métropole" not in ville
    assert ("Cible : 500 attributions SD fin décembre 2021. Trajectoire de l'observatoire inconnue (année 2019 "
            "secrète) : écart et rythme non calculés. (objectif local, ATTR_SD : Objectif de la métropole)") in metropole


def test_territory_page_without_target_says_nothing(tmp_path):
    chemin = construire_minuscule(tmp_path / "p.duckdb")
    assert "Cible" not in _section(chemin, f"fiche-{LDA_B}")
