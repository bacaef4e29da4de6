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
    # one location per département given, each drawn once
    lieux = [l for t in fig.data if t.type == "choroplethmap" for l in t.locations]
    assert sorted(lieux) == sorted(DEPARTEMENTS["territoire_code"].to_list())
    par_code = {l: t for t in fig.data if t.type == "choroplethmap" for l in t.locations}
    # published: coloured by value, French number in the hover
    assert par_code["01"].coloraxis == "coloraxis"
    assert par_code["01"].text[0].replace("\u202f", " ") == "Ain (01)<br>1 234"
    # secret: no value, secret grey, « s (secret statistique) »
    for code in ("02", "974"):
        trace = par_code[code]
        assert trace.coloraxis is None
        assert trace.colorscale[0][1] == charts.COULEUR_SECRET
        assert "s (secret statistique)" in trace.text[0]
    assert par_code["03"].colorscale[0][1] == charts.COULEUR_ABSENT
    assert par_code["03"].text[0].endswith("—")
    # one map (one WebGL context): the overseas départements moved into framed insets west of France
    assert {t.subplot or "map" for t in fig.data} == {"map"} and "map2" not in fig.layout
    formes = {f["properties"]["code"]: f["geometry"]["coordinates"][0] for t in fig.data if t.type == "choroplethmap"
              for f in t.geojson["features"]}
    assert formes["01"] == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # metropolitan: untouched
    for i, code in ((0, "971"), (3, "974")):  # Guadeloupe in the first inset, La Réunion in the fourth
        lon0, lon1, lat0, lat1 = charts.ENCARTS[i]
        assert all(lon0 < x < lon1 and lat0 < y < lat1 for x, y in formes[code]), code
    cadres = next(t for t in fig.data if t.type == "scattermap")
    assert cadres.mode == "lines" and len([x for x in cadres.lon if x is None]) == 5
    # offline base map, centred on the shapes
    assert fig.layout.map.style == "white-bg"
