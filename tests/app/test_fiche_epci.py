"""The EPCI picker of Fiche territoire: an EPCI of the publication is listed with its SIREN and its
départements (COG 2026 file), and choosing it shows its published values."""

import duckdb
import pytest
import streamlit as st

from tests.app.conftest import construire
from tests.app.test_pages import ouvrir


@pytest.fixture
def publication_epci(tmp_path, monkeypatch):
    chemin = tmp_path / "observatoire.duckdb"
    construire(chemin)
    with duckdb.connect(str(chemin)) as conn:
        conn.execute("insert into publication.territoires values "
                     "('epci', '200054781', 'Métropole du Grand Paris', null, null, 7115576)")
        conn.execute("""insert into publication.indicateurs by name
            select 'ATTR_SD' as indicateur, 'epci' as territoire_type, '200054781' as territoire_code,
                'Métropole du Grand Paris' as territoire_libelle, '2024' as periode, 1234.0 as valeur,
                1234.0 as numerateur, null as denominateur, 'ok' as statut, 'sne' as source""")
    monkeypatch.setenv("OBSERVATOIRE_PUBLICATION", str(chemin))
    st.cache_data.clear()
    yield chemin
    st.cache_data.clear()


def test_fiche_territoire_choix_epci(publication_epci):
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    epci = [o for o in options if "EPCI" in o]
    assert epci == ["Métropole du Grand Paris (EPCI 200054781, départements 75, 91, 92, 93, 94, 95)"]
    assert options[-1] == epci[0]  # after the Logement d'abord territories, départements and régions
    at.selectbox(key="territoire").select_index(options.index(epci[0])).run()
    assert not at.exception, [e.value for e in at.exception]
    tableau = at.dataframe[0].value
    ligne = tableau[tableau["Code"] == "ATTR_SD"].iloc[0]
    assert ligne["2024"] == "1\u202f234"  # French thousands separator
