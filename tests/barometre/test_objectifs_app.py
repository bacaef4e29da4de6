"""The target section on Vue nationale and Fiche territoire: the app's tiny publication file
(tests/app/conftest.py) with a hand-made publication.objectifs added; the French sentence carries
the pace computed by hand."""

import duckdb
import streamlit as st

from observatoire_commun.format import NBSP
from pipelines.config import SQL_DIR
from tests.app.conftest import publication  # noqa: F401  (the fixture)
from tests.app.test_pages import ouvrir, texte


def ajouter_objectif(chemin, territoire_type: str, territoire_code: str, cible: float) -> None:
    with duckdb.connect(str(chemin)) as conn:
        conn.execute((SQL_DIR / "diffusion" / "objectifs_vide.sql").read_text(encoding="utf-8")).fetchall()
        conn.execute(
            "insert into publication.objectifs (serie, territoire_type, territoire_code, date_cible, "
            "valeur_initiale, valeur_actuelle, date_actuelle, valeur_cible, taux_avancement, source) "
            "values ('BAROMETRE_LDA_PERSONNES', ?, ?, date '2026-12-01', 0, "
            "1000, date '2024-05-01', ?, 10.0, 'test')",
            [territoire_type, territoire_code, cible],
        ).fetchall()
    st.cache_data.clear()


def test_vue_nationale_objectif(publication):  # noqa: F811
    # ATTR_SD_PERS France in the fixture: 2023 = 2 420, 2024 = 2 714.8 → 5 134.8 since 2023;
    # 10 000 − 5 134.8 = 4 865.2 in 24 months (2025-01 … 2026-12) = 202.7 a month
    ajouter_objectif(publication, "france", "FR", 10_000.0)
    at = ouvrir()
    assert not at.exception
    contenu = texte(at)
    assert (f"Cible : 10{NBSP}000 personnes fin décembre 2026 ; l'observatoire en compte 5{NBSP}135 de 2023 à 2024 : "
            f"il reste 4{NBSP}865 personnes en 24 mois, soit 203 par mois.") in contenu
    assert len(at.get("plotly_chart")) == 5


def test_vue_nationale_sans_objectif(publication):  # noqa: F811
    at = ouvrir()
    assert "Objectif du Logement d'abord" not in [s.value for s in at.subheader]


def test_fiche_territoire_departement_sans_serie(publication):  # noqa: F811
    # the fixture publishes no ATTR_SD_PERS for the Aisne: the pace is unknown, never computed on 0
    ajouter_objectif(publication, "departement", "02", 500.0)
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    at.selectbox(key="territoire").select_index(options.index(next(o for o in options if "Aisne" in o))).run()
    assert not at.exception
    assert ("Cible : 500 personnes fin décembre 2026. Trajectoire de l'observatoire inconnue "
            "(aucune année publiée depuis 2023) : écart et rythme non calculés.") in texte(at)
    assert "Objectif du Logement d'abord" in [s.value for s in at.subheader]


def test_fiche_territoire_objectif_local(publication):  # noqa: F811
    """A coordinator's local target (here on ATTR_SD for the Ain) is shown like the Baromètre's,
    beside it: ATTR_SD of the Ain in the fixture: 2023 = 700, 2024 = 1 226 → 1 926 since 2023;
    3 000 − 1 926 = 1 074 in 36 months (2025-01 … 2027-12) = 29.8 a month."""
    ajouter_objectif(publication, "departement", "01", 500.0)
    with duckdb.connect(str(publication)) as conn:
        conn.execute(
            "insert into publication.objectifs (serie, indicateur, territoire_type, territoire_code, date_cible, "
            "valeur_initiale, date_initiale, valeur_cible, source, libelle) values ('ATTR_SD', 'ATTR_SD', "
            "'departement', '01', date '2027-12-01', 0, date '2022-12-01', 3000, 'objectif local', "
            "'Objectif départemental de l''Ain')"
        ).fetchall()
    st.cache_data.clear()
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    at.selectbox(key="territoire").select_index(options.index(next(o for o in options if "Ain" in o))).run()
    assert not at.exception
    sous_titres = [s.value for s in at.subheader]
    assert "Objectif du Logement d'abord" in sous_titres
    assert "Objectif local : Objectif départemental de l'Ain" in sous_titres
    assert sous_titres.index("Objectif du Logement d'abord") < sous_titres.index(
        "Objectif local : Objectif départemental de l'Ain")
    assert (f"Cible : 3{NBSP}000 attributions SD fin décembre 2027 ; l'observatoire en compte 1{NBSP}926 de 2023 "
            f"à 2024 : il reste 1{NBSP}074 attributions SD en 36 mois, soit 30 par mois.") in texte(at)
