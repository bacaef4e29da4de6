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


def test_fiche_epci_pairs_de_meme_taille(publication_epci):
    """An EPCI's peers are the EPCI of its size class (data/config/classes_taille.csv): the Métropole
    de Lyon (1,4 million inhabitants) is a peer of the Métropole du Grand Paris (both « plus de 300 000 »),
    a community of 12 000 inhabitants is not; the median line is the peer's published values."""
    import json

    with duckdb.connect(str(publication_epci)) as conn:
        conn.execute("insert into publication.territoires values "
                     "('epci', '200046977', 'Métropole de Lyon', null, null, 1411571), "
                     "('epci', '200069193', 'CC de la Dombes', null, null, 12000)")
        for siren, libelle, valeurs in (("200046977", "Métropole de Lyon", (500.0, 520.0)),
                                        ("200069193", "CC de la Dombes", (20.0, 30.0))):
            for periode, valeur in zip(("2023", "2024"), valeurs, strict=True):
                conn.execute(
                    "insert into publication.indicateurs by name select 'ATTR_SD' as indicateur, 'epci' as territoire_type, "
                    "? as territoire_code, ? as territoire_libelle, ? as periode, ? as valeur, ? as numerateur, "
                    "null as denominateur, 'ok' as statut, 'sne' as source", [siren, libelle, periode, valeur, valeur])
    st.cache_data.clear()
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    paris = next(o for o in options if o.startswith("Métropole du Grand Paris"))
    at.selectbox(key="territoire").select_index(options.index(paris)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="indicateur").value == "ATTR_SD"
    graphique = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {t["name"]: t for t in graphique["data"]}
    assert set(traces) == {"Métropole du Grand Paris", "Médiane des territoires de même taille", "France"}
    mediane = traces["Médiane des territoires de même taille"]
    assert list(mediane["x"]) == ["2023", "2024"] and list(mediane["y"]) == [500.0, 520.0]
    note = " ".join(c.value for c in at.caption)
    assert "Territoires de même taille : EPCI de plus de 300 000 habitants (population légale), 1 autre territoire" in note
