"""One AppTest per page, against the tiny publication file of conftest.py."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import CATALOGUE, SECRET

APP = str(Path(__file__).resolve().parents[2] / "observatory_app" / "app.py")


def ouvrir(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texte(at: AppTest) -> str:
    morceaux = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.warning]
    return "\n".join(str(m) for m in morceaux)


def test_vue_nationale_chiffre_cle_en_francais(publication):
    at = ouvrir()
    assert at.title[0].value == "Vue nationale"
    metriques = {m.label: m for m in at.metric}
    attr = metriques["Attributions à des ménages sans domicile"]
    assert attr.value.replace("\u202f", " ").replace("\u00a0", " ") == "1 234"
    assert "2023" in attr.delta
    tx = metriques["Part des attributions aux ménages sans domicile (%)"]
    assert tx.value.replace("\u00a0", " ") in ("6,2 %", "6,3 %")
    assert "synthétiques" in texte(at)
    graphiques = at.get("plotly_chart")
    assert len(graphiques) == 3  # LDA vs HORS_LDA, the départements map, observatoire vs Baromètre
    for graphique in graphiques:
        spec = json.loads(graphique.proto.spec)
        assert spec["layout"]["separators"] == ", "
        assert "Données synthétiques de démonstration" in spec["layout"]["title"]["text"]


def test_vue_nationale_carte_des_departements(publication):
    at = ouvrir()
    assert at.selectbox(key="carte_indicateur").value == "TX_ATTR_SD"
    assert at.selectbox(key="carte_annee").value == "2024"
    cartes = [json.loads(g.proto.spec) for g in at.get("plotly_chart")]
    carte = next(c for c in cartes if any(t["type"] == "choroplethmap" for t in c["data"]))
    assert carte["layout"]["separators"] == ", "
    assert carte["layout"]["map"]["style"] == "white-bg"  # no base map fetched from the internet
    lieux = {l: t for t in carte["data"] for l in t["locations"]}
    assert set(lieux) == {"01", "02"}
    assert "7,0" in lieux["01"]["text"][lieux["01"]["locations"].index("01")]
    # ATTR_SD 2024: the Aisne is secret, drawn grey, never with its value
    at.selectbox(key="carte_indicateur").set_value(SECRET[0]).run()
    assert not at.exception
    carte = next(
        json.loads(g.proto.spec) for g in at.get("plotly_chart")
        if any(t["type"] == "choroplethmap" for t in json.loads(g.proto.spec)["data"])
    )
    aisne = next(t for t in carte["data"] if SECRET[1] in t["locations"])
    assert "coloraxis" not in aisne
    assert aisne["text"] == ["Aisne (02)<br>s (secret statistique)"]


def test_fiche_territoire_secret_affiche_s(publication):
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    aisne = next(o for o in options if "Aisne" in o)
    at.selectbox(key="territoire").select_index(options.index(aisne)).run()
    assert not at.exception
    tableau = at.dataframe[0].value
    ligne = tableau[tableau["Code"] == SECRET[0]].iloc[0]
    assert ligne[SECRET[2]] == "s"
    assert ligne[SECRET[2]] != "0"
    assert "secret statistique" in texte(at)
    assert len(at.get("download_button")) == 2


def test_methodologie_liste_le_catalogue(publication):
    at = ouvrir("pages/methodologie.py")
    etiquettes = " ".join(e.label for e in at.expander)
    for code, *_ in CATALOGUE:
        assert code in etiquettes
    assert "secret" in texte(at)


def test_qualite_montre_la_quarantaine(publication):
    at = ouvrir("pages/qualite.py")
    par_source = at.dataframe[0].value
    siao = par_source[par_source["Source"] == "siao"].iloc[0]
    assert siao["Lignes en quarantaine"] == "10"
    assert siao["Lignes lues"].replace("\u202f", " ") == "1 000"
    regles = at.dataframe[1].value
    assert set(regles["Règle"]) == {"malformed_row", "invalid_date"}
    assert any("contrôles sont réussis" in s.value for s in at.success)


def test_classement_territoires(publication):
    at = ouvrir("pages/classement.py")
    tableau = at.dataframe[0].value
    assert list(tableau["Territoire"]) == ["Ville de Test"]
    assert tableau["Valeur"].iloc[0] == pytest.approx(10.0)


def test_ndls_totaux_par_edition(publication):
    at = ouvrir("pages/ndls.py")
    assert at.title[0].value == "Nuits de la Solidarité"
    assert at.selectbox(key="territoire").value == "territoire_lda|LDA-2018-01"  # Ville de Test first
    tableau = at.dataframe[0].value
    assert list(tableau["Édition"]) == ["2024", "2023"]
    derniere = tableau.iloc[0]
    assert derniere["Personnes sans abri décomptées"] == "310"
    assert derniere["dont dans la rue"] == "s"  # 7 people: secret, never 0
    assert derniere["Évolution à périmètre constant"].replace("\u00a0", " ") == "-1,5 %"
    assert derniere["Pour 10 000 habitants"] == "31,0"
    assert tableau.iloc[1]["dont dans la rue"] == "120"
    assert any("jamais comparés" in i.value for i in at.info)
    options = at.selectbox(key="territoire").options
    ain = next(o for o in options if "Ain" in o)
    at.selectbox(key="territoire").select_index(options.index(ain)).run()
    assert not at.exception
    ligne = at.dataframe[0].value.iloc[0]
    assert ligne["Personnes sans abri décomptées"].replace("\u202f", " ") == "1 600"
    assert ligne["dont dans la rue"] == "—"  # not published for this territory
    graphique = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert graphique["layout"]["separators"] == ", "
    assert graphique["layout"]["xaxis"]["type"] == "category"
    assert "Nuits de la Solidarité" in graphique["layout"]["title"]["text"]
    assert "Données synthétiques de démonstration" in graphique["layout"]["title"]["text"]


def test_depot_page_sans_fichier(publication):
    at = ouvrir("pages/depot.py")
    assert at.title[0].value == "Déposer un export"
    assert "200 Mo" in texte(at)
    assert len(at.get("file_uploader")) == 1
    assert not at.button  # nothing to deposit before a file is checked
