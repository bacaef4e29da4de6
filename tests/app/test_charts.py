import polars as pl

from observatory_app import charts

SERIE = pl.DataFrame(
    {
        "territoire_libelle": ["France", "France", "Ain", "Ain"],
        "periode": ["2023", "2024", "2023", "2024"],
        "valeur": [10.0, 11.0, None, 3.0],
        "statut": ["ok", "ok", "secret", "ok"],
    }
)


def test_series_separateurs_categorie_et_mention():
    fig = charts.series_temporelles(SERIE, "Titre", "nombre", "sne", synthetique=True)
    assert fig.layout.separators == ", "
    assert fig.layout.xaxis.type == "category"
    titre = fig.layout.title.text
    assert "Données synthétiques de démonstration" in titre
    assert "SNE" in titre and "2023–2024" in titre


def test_secret_est_un_trou_pas_un_zero():
    fig = charts.series_temporelles(SERIE, "Titre", "nombre", "sne", synthetique=False)
    ain = next(t for t in fig.data if t.name == "Ain")
    assert list(ain.y) == [None, 3.0]
    assert "synthétiques" not in fig.layout.title.text


def test_classement_barres():
    df = pl.DataFrame({"territoire_libelle": ["A", "B"], "valeur": [1.0, None], "statut": ["ok", "secret"]})
    fig = charts.classement_barres(df, "Titre", "%", "sne", "2024", synthetique=True)
    assert fig.layout.separators == ", "
    assert "Données synthétiques de démonstration" in fig.layout.title.text
    assert list(fig.data[0].y) == ["A"]


DEPARTEMENTS = pl.DataFrame(
    {
        "territoire_code": ["01", "02", "03", "971", "974"],
        "territoire_libelle": ["Ain", "Aisne", "Allier", "Guadeloupe", "La Réunion"],
        "valeur": [1234.5, None, None, 12.0, None],
        "statut": ["ok", "secret", "absent", "ok", "secret"],
    }
)


def _geo(*codes):
    carre = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": c}, "geometry": {"type": "Polygon", "coordinates": carre}}
            for c in codes
        ],
    }


def test_carte_departements_secret_en_gris_et_outre_mer():
    geo_om = {c: _geo(c) for c in ("971", "972", "973", "974", "976")}
    fig = charts.carte_departements(
        DEPARTEMENTS, _geo("01", "02", "03", "04"), geo_om, "Attributions", "nombre", "sne", "2024", synthetique=True
    )
    assert fig.layout.separators == ", "
    assert "Données synthétiques de démonstration" in fig.layout.title.text
    assert "2024" in fig.layout.title.text
    # one SVG shape per département given (04 has a shape but no row: not drawn), no WebGL map
    formes = {t.meta["code"]: t for t in fig.data if t.meta}
    assert sorted(formes) == sorted(DEPARTEMENTS["territoire_code"].to_list())
    assert {t.type for t in fig.data} == {"scatter"} and all(t.fill == "toself" for t in formes.values())
    # published: coloured by value, French number in the hover
    assert formes["01"].text.replace("\u202f", " ") == "Ain (01)<br>1 234"
    assert formes["01"].fillcolor not in (charts.COULEUR_SECRET, charts.COULEUR_ABSENT)
    assert formes["01"].meta["valeur"] == 1234.5
    # secret: no value, secret grey, « s (secret statistique) »
    for code in ("02", "974"):
        assert formes[code].fillcolor == charts.COULEUR_SECRET
        assert formes[code].meta["valeur"] is None
        assert "s (secret statistique)" in formes[code].text
    assert formes["03"].fillcolor == charts.COULEUR_ABSENT and formes["03"].text.endswith("—")
    # metropolitan shapes untouched (x = lon × cos 46,5°); overseas moved into their inset boxes
    assert formes["01"].y[:5] == (0, 0, 1, 1, 0)
    for i, code in ((0, "971"), (3, "974")):  # Guadeloupe in the first inset, La Réunion in the fourth
        lon0, lon1, lat0, lat1 = charts.ENCARTS[i]
        points = [(x, y) for x, y in zip(formes[code].x, formes[code].y) if x is not None]
        assert all(lon0 * charts.COS_LAT < x < lon1 * charts.COS_LAT and lat0 < y < lat1 for x, y in points), code
    cadres = next(t for t in fig.data if t.name == "Encarts d'outre-mer")
    assert len([x for x in cadres.x if x is None]) == 5
    echelle = next(t for t in fig.data if t.name == "Échelle")
    assert (echelle.marker.cmin, echelle.marker.cmax) == (12.0, 1234.5) and echelle.marker.showscale
    # France's proportions: one unit of x is one unit of y
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1