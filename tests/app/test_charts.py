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
