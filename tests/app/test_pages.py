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
    # LDA vs HORS_LDA, the evaluation (TX_ATTR_SD only: ATTR_SD_100K is secret), the map, the Baromètre
    assert len(graphiques) == 4
    for graphique in graphiques:
        spec = json.loads(graphique.proto.spec)
        assert spec["layout"]["separators"] == ", "
        assert "Données synthétiques de démonstration" in spec["layout"]["title"]["text"]


def _carte(at) -> dict:
    return next(
        spec for spec in (json.loads(g.proto.spec) for g in at.get("plotly_chart"))
        if any((t.get("meta") or {}).get("code") for t in spec["data"])
    )


def test_vue_nationale_carte_des_departements(publication):
    at = ouvrir()
    assert at.selectbox(key="carte_indicateur").value == "TX_ATTR_SD"
    assert at.selectbox(key="carte_annee").value == "2024"
    carte = _carte(at)
    assert carte["layout"]["separators"] == ", "
    assert {t["type"] for t in carte["data"]} == {"scatter"}  # SVG shapes: no map tiles, no WebGL
    formes = {t["meta"]["code"]: t for t in carte["data"] if t.get("meta")}
    assert set(formes) == {"01", "02"}
    assert formes["01"]["text"] == "Ain (01)<br>7,0\u00a0%"
    # ATTR_SD 2024: the Aisne is secret, drawn grey, never with its value
    at.selectbox(key="carte_indicateur").set_value(SECRET[0]).run()
    assert not at.exception
    formes = {t["meta"]["code"]: t for t in _carte(at)["data"] if t.get("meta")}
    assert formes[SECRET[1]]["fillcolor"] == "#8c8c8c"
    assert formes[SECRET[1]]["meta"]["valeur"] is None
    assert formes[SECRET[1]]["text"] == "Aisne (02)<br>s (secret statistique)"


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


def tableau(at, colonne):
    """The page's table having this column (the quality page's tables are found by what they show)."""
    return next(df.value for df in at.dataframe if colonne in df.value.columns)


def test_qualite_montre_la_quarantaine(publication):
    at = ouvrir("pages/qualite.py")
    par_source = tableau(at, "Lignes ignorées")
    siao = par_source[par_source["Source"].str.startswith("SI-SIAO")].iloc[0]  # a French label, not « siao »
    assert siao["Fichiers"] == "12"  # 12 files in one lot, not 1 lot counted once
    assert siao["Lignes en quarantaine"] == "10"
    assert siao["Lignes lues"].replace("\u202f", " ") == "1 000"
    assert siao["Lignes ignorées"] == "0"
    barometre = par_source[par_source["Source"].str.startswith("Baromètre")].iloc[0]
    # read 1 080 = accepted 780 + quarantined 0 + skipped 300: no row unaccounted for
    assert (barometre["Lignes acceptées"], barometre["Lignes ignorées"]) == ("780", "300")
    assert "acceptées + en quarantaine + ignorées" in texte(at)
    # the secret NdlS lot: « s », never 0 nor « — »
    ndls = par_source[par_source["Source"].str.startswith("Nuits")].iloc[0]
    assert (ndls["Fichiers"], ndls["Lignes lues"], ndls["Lignes en quarantaine"]) == ("2", "s", "s")
    regles = tableau(at, "Règle")
    assert set(regles["Règle"]) == {"Ligne mal formée (nombre de champs incorrect)", "Date invalide",
                                    "Valeur obligatoire manquante"}
    assert regles[regles["Règle"] == "Valeur obligatoire manquante"].iloc[0]["Lignes"] == "s"
    assert any("contrôles sont réussis" in s.value for s in at.success)
    controles = tableau(at, "Exécuté le (heure de Paris)")
    assert controles.iloc[0]["Résultat"] == "réussi"


def test_qualite_liste_les_fichiers_refuses(publication):
    """A file refused whole appears with its name and French reason; it is counted apart."""
    at = ouvrir("pages/qualite.py")
    refuses = tableau(at, "Motif du refus")
    assert refuses.shape[0] == 1
    ligne = refuses.iloc[0]
    assert ligne["Fichier"] == "sne_attributions_2024.csv"
    assert ligne["Motif du refus"] == "colonne obligatoire absente : date_attribution"
    assert ligne["Source"].startswith("SNE")
    assert any("1 fichier(s) refusé(s) en entier" in e.value for e in at.error)
    fraicheur = tableau(at, "Fichiers refusés")
    sne = fraicheur[fraicheur["Source"].str.startswith("SNE")].iloc[0]
    assert (sne["Fichiers chargés"], sne["Fichiers refusés"]) == ("1", "1")


@pytest.mark.parametrize("page", [None, "pages/fiche_territoire.py", "pages/qualite.py", "pages/ndls.py"])
def test_echelle_de_la_demo_annoncee(publication, page):
    """The publication file says generateur_scale = 0.05: every page's banner says « 5 % »."""
    at = ouvrir(page)
    bandeau = " ".join(w.value for w in at.warning)
    assert "Échelle de la démonstration : 5 % des volumes nationaux" in bandeau


def test_classement_territoires(publication):
    at = ouvrir("pages/classement.py")
    tableau = at.dataframe[0].value
    assert list(tableau["Territoire"]) == ["Ville de Test"]
    ligne = tableau.iloc[0]
    assert ligne["Valeur"] == "10,0 %" .replace(" ", "\u00a0")
    assert ligne["Rang"].strip() == "1"
    assert ligne["Nature"] == "Commune"
    assert ligne["Évolution depuis 2023 (points de %)"] == "+1,0"


def test_classement_secret_absent_jamais_none(publication):
    """ATTR_SD 2024 of the Ville de Test is 60; NDLS_PERS_RUE 2024 is secret; DEM_URG's 2023 value
    exists but PLACES_PF is non localisable: « s », « — », « n.l. », never None."""
    at = ouvrir("pages/classement.py")
    at.selectbox(key="indicateur").set_value("NDLS_PERS_RUE").run()
    ligne = at.dataframe[0].value.iloc[0]
    assert ligne["Valeur"] == "s"
    assert ligne["Rang"] == "—"  # no published value: no rank, never None
    assert ligne["Évolution depuis 2023 (personnes)".replace("personnes", "nombre")] == "—"
    assert ligne["Écart à la trajectoire"] == "—"
    assert ligne["Série"] is None  # one published year only: no flat line read as 0
    at.selectbox(key="indicateur").set_value("PLACES_PF").run()
    assert at.dataframe[0].value.iloc[0]["Valeur"] == "n.l."
    # an indicator not published for the territory (only complete years are offered: no 2022)
    assert "2022" not in at.selectbox(key="annee").options
    at.selectbox(key="indicateur").set_value("ATTR_SD_PERS").run()
    ligne = at.dataframe[0].value.iloc[0]
    assert ligne["Valeur"] == "—"
    assert ligne["Série"] is None  # no series drawn (empty cell), the text columns never read None
    assert "None" not in " ".join(str(v) for v in ligne.drop("Série").to_list())


def test_vue_nationale_ndls_evolution_a_perimetre_constant(publication):
    at = ouvrir()
    carte = next(m for m in at.metric if m.label.startswith("Personnes sans abri décomptées"))
    assert "somme des villes" in carte.label  # not « France entière »
    assert carte.value.replace("\u202f", " ").replace("\u00a0", " ") == "3 100"
    # NDLS_EVOL_PC France 2024 = +2,8 %; the raw-total change (3 000 → 3 100) would be +3,3 %
    assert carte.delta.replace("\u00a0", " ") == "+2,8 % à périmètre constant par rapport à 2023"
    assert "3,3" not in carte.delta


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


@pytest.mark.parametrize(("cle", "evolutions"), [
    ("territoire_lda|LDA-2018-01", {"2023": 4.2, "2024": -1.5}),
    ("groupe|LDA", {"2023": 0.5, "2024": 4.1}),
    ("france|FR", {"2023": 1.2, "2024": 2.8}),
])
def test_ndls_graphique_evolution_a_perimetre_constant(publication, cle, evolutions):
    """The chart draws NDLS_EVOL_PC per edition (a city, a group, France), never raw totals."""
    at = ouvrir("pages/ndls.py")
    at.selectbox(key="territoire").set_value(cle).run()
    assert not at.exception
    tableau = at.dataframe[0].value
    affiche = dict(zip(tableau["Édition"], tableau["Évolution à périmètre constant"]))
    assert affiche["2024"].replace("\u00a0", " ") == ("+" if evolutions["2024"] >= 0 else "-") + f"{abs(evolutions['2024']):.1f} %".replace(".", ",")
    graphique = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(graphique["data"]) == 1
    trace = graphique["data"][0]
    assert dict(zip(trace["x"], trace["y"])) == evolutions
    assert "périmètre constant" in graphique["layout"]["title"]["text"]
    somme = any("somme des villes" in w.value for w in at.warning)
    assert somme == (not cle.startswith("territoire_lda"))


def test_fiche_territoire_comptes_sur_deux_panneaux(publication):
    """A count (the default indicator ATTR_SD) of the Ville de Test (50, 60) and of France (1 100,
    1 234): the territory's curve has its own axis, not France's."""
    at = ouvrir("pages/fiche_territoire.py")
    assert at.selectbox(key="territoire").value == "territoire_lda|LDA-2018-01"
    assert at.selectbox(key="indicateur").value == "ATTR_SD"
    graphique = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = {t["name"]: t for t in graphique["data"]}
    assert traces["Ville de Test"]["y"] == [50, 60]
    assert traces["France"]["y"] == [1100, 1234]
    assert traces["Ville de Test"].get("yaxis", "y") != traces["France"].get("yaxis", "y")
    assert "propre échelle" in texte(at)


def test_fiche_territoire_offre_non_localisable_jamais_zero(publication):
    """PLACES_PF of the Ville de Test is published as 0 with part_non_localisable = 100: the page
    shows « n.l. » and the share, and the chart draws no 0."""
    at = ouvrir("pages/fiche_territoire.py")
    tableau = at.dataframe[0].value
    ligne = tableau[tableau["Code"] == "PLACES_PF"].iloc[0]
    assert ligne["2024"] == "n.l." and ligne["2023"] == "n.l."
    assert ligne["Non localisable"].replace("\u00a0", " ") == "100 %"
    assert tableau[tableau["Code"] == "ATTR_SD"].iloc[0]["Non localisable"] == ""
    assert "non localisable" in texte(at)
    at.selectbox(key="indicateur").set_value("PLACES_PF").run()
    graphique = json.loads(at.get("plotly_chart")[0].proto.spec)
    ville = next(t for t in graphique["data"] if t["name"] == "Ville de Test")
    assert all(v is None for v in ville["y"])  # a gap, never a line at 0


@pytest.fixture
def comptes_depot(tmp_path, monkeypatch):
    """An accounts file outside the repository: Paris's coordinator (département 75)."""
    from observatory_app import comptes

    chemin = tmp_path / "comptes_depot.csv"
    chemin.write_text(f"identifiant;departements;empreinte\nsiao-paris;75;{comptes.empreinte('bon mot de passe')}\n",
                      encoding="utf-8")
    monkeypatch.setenv(comptes.VARIABLE_COMPTES, str(chemin))
    return chemin


def _connecter(at: AppTest, identifiant: str, mot_de_passe: str) -> AppTest:
    at.text_input(key="identifiant").input(identifiant)
    at.text_input(key="mot_de_passe").input(mot_de_passe)
    next(b for b in at.button if b.label == "Se connecter").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_depot_desactive_sans_comptes(publication, monkeypatch):
    monkeypatch.delenv("OBSERVATOIRE_DEPOT_COMPTES", raising=False)
    at = ouvrir("pages/depot.py")
    assert any("dépôt est désactivé" in i.value for i in at.info)
    assert not at.get("file_uploader") and not at.text_input


def test_depot_refuse_sans_connexion(publication, comptes_depot):
    """Without login (or with a wrong password) there is no uploader."""
    at = ouvrir("pages/depot.py")
    assert not at.get("file_uploader")
    _connecter(at, "siao-paris", "mauvais mot de passe")
    assert any("Identifiant ou mot de passe incorrect" in e.value for e in at.error)
    assert not at.get("file_uploader")
    _connecter(at, "inconnu", "bon mot de passe")
    assert not at.get("file_uploader")


def test_depot_avec_fournisseur_oidc_connexion_par_st_login(publication, comptes_depot):
    """With an OIDC provider in the secrets, the page offers Streamlit's sign-in, not the password form,
    and shows no uploader before it."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "observatoire", "client_secret": "s",
                          "server_metadata_url": "https://idp.example.fr/.well-known/openid-configuration"}
    at.switch_page("pages/depot.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [b.label for b in at.button] == ["Se connecter avec le fournisseur d'identité"]
    assert not at.text_input and not at.get("file_uploader")


def test_depot_page_sans_fichier(publication, comptes_depot):
    at = _connecter(ouvrir("pages/depot.py"), "siao-paris", "bon mot de passe")
    assert at.title[0].value == "Déposer un export"
    assert any("« siao-paris »" in s.value and "département 75" in s.value for s in at.success)
    assert "200 Mo" in texte(at)
    assert len(at.get("file_uploader")) == 1
    assert not at.text_input  # the login form is gone once connected
    assert [b.label for b in at.button] == ["Se déconnecter"]  # nothing to deposit before a file is checked
    next(b for b in at.button if b.label == "Se déconnecter").click().run()
    assert not at.get("file_uploader") and at.text_input(key="identifiant")


def test_vue_nationale_evaluation_avec_intervalles(publication):
    at = ouvrir()
    graphiques = [json.loads(g.proto.spec) for g in at.get("plotly_chart")]
    evaluation = next(g for g in graphiques if "écart depuis 2017" in g["layout"]["title"]["text"])
    point = evaluation["data"][0]
    assert point["x"] == ["2023", "2024"] and point["y"] == [1.25, 1.5]
    assert point["error_y"]["array"] == [0.75, 1.5]  # ic_haut − did
    assert point["error_y"]["arrayminus"] == [0.75, 1.75]  # did − ic_bas: the 2024 interval contains 0
    assert "pas une mesure d'effet causal" in texte(at)


def test_fiche_territoire_pairs_et_parcours(publication):
    at = ouvrir("pages/fiche_territoire.py")
    options = at.selectbox(key="territoire").options
    at.selectbox(key="territoire").select_index(options.index(next(o for o in options if "Ain" in o))).run()
    at.selectbox(key="indicateur").set_value("TX_ATTR_SD").run()
    assert not at.exception
    graphiques = [json.loads(g.proto.spec) for g in at.get("plotly_chart")]
    serie = graphiques[0]
    lignes = {t["name"]: t["y"] for t in serie["data"]}
    # the Ain (500 000 inhabitants) has one peer in its size class, the Aisne: the median is its values
    assert lignes["Médiane des territoires de même taille"] == [5.0, 5.5]
    assert lignes["France"] == [5.5, 6.25]
    assert serie["layout"]["yaxis"]["tickformat"] == ",~f"  # « 60 000 », never « 60k »
    assert "départements de 500 000 à 1 million d'habitants (population légale), 1 autre territoire" in texte(at)
    sankey = next(g for g in graphiques if g["data"][0]["type"] == "sankey")["data"][0]
    labels = sankey["node"]["label"]
    assert "Rue, squat (60)" in labels
    assert "Pas de sortie (s)" in labels  # a secret total shows « s », never 0
    titre = next(g for g in graphiques if g["data"][0]["type"] == "sankey")["layout"]["title"]["text"]
    assert "sans flux publié : Insertion (CHRS) (s)" in titre  # no drawn flow: named, not drawn
    # 4 published flows drawn; the 2 secret ones are left out, never drawn as 0
    assert sorted(sankey["link"]["value"]) == [20, 20, 35, 35]
    assert "2 flux sous secret statistique non tracés" in graphiques[1]["layout"]["title"]["text"]


def test_classement_sparklines_et_trajectoire(publication):
    at = ouvrir("pages/classement.py")
    tableau = at.dataframe[0].value
    ligne = tableau.iloc[0]
    assert list(ligne["Série"]) == [6.0, 9.0, 10.0]  # 2017, 2023, 2024
    assert ligne["Écart à la trajectoire"] == "+3,50"  # unit in the header
    assert ligne["Écart marqué"] == "⚠"


def test_qualite_fraicheur(publication):
    at = ouvrir("pages/qualite.py")
    fraicheur = at.dataframe[0].value
    sne = fraicheur[fraicheur["Source"].str.startswith("SNE")].iloc[0]
    assert sne["Dernier chargement"] == "4 mars 2025 à 06 h 06"  # 05:06 UTC is 06:06 in Paris
    assert sne["Dernière année publiée"] == "2024"


def test_trajectoire_lue_dans_l_evaluation(publication):
    """The gap to the trajectory is the published DiD (publication.evaluation_lda), not recomputed:
    a published 2.0 is shown « +2,00 » though the indicators would give 3.5; an indicator without
    evaluation has no gap."""
    import duckdb

    with duckdb.connect(str(publication)) as conn:
        conn.execute("update publication.evaluation_lda set did = 2.0 where territoire_code = 'LDA-2018-01'")
    at = ouvrir("pages/classement.py")
    assert at.dataframe[0].value.iloc[0]["Écart à la trajectoire"] == "+2,00"
    at.selectbox(key="indicateur").set_value("DEM_URG").run()
    assert at.dataframe[0].value.iloc[0]["Écart à la trajectoire"] == "—"
    assert "seulement pour les indicateurs évalués (ATTR_SD_100K, TX_ATTR_SD)" in texte(at)


def test_qualite_controle_dagster_en_echec_en_premier(publication):
    """A failed Dagster asset check (a Baromètre trap) is counted and listed first, its suite in French."""
    import duckdb

    with duckdb.connect(str(publication)) as conn:
        conn.execute(
            "insert into publication.qualite_controles values ('controles_dagster_barometre', 'mois_codes_a_zero', "
            "'staging.barometre_mensuel', false, 'en échec (avertissement) — lignes en défaut : 489', '', "
            "timestamp '2025-01-02 03:04:06')"
        )
    at = ouvrir("pages/qualite.py")
    assert any("1 contrôle(s) en échec sur 2" in e.value for e in at.error)
    controles = tableau(at, "Exécuté le (heure de Paris)")
    premier = controles.iloc[0]
    assert (premier["Suite"], premier["Contrôle"], premier["Résultat"]) == (
        "Contrôles Dagster, Baromètre", "mois_codes_a_zero", "échec")
    assert controles.iloc[1]["Suite"] == "Great Expectations, indicateurs publiés"
