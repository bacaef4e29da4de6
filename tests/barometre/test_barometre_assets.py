"""The layer `barometre` materialised on the real published files, compared with values read
independently in the CSV files (csv module) and with the published national figures."""

import csv

import dagster as dg

from assets.barometre.assets import SERIE
from assets.reference.checks import DEPARTEMENTS_ATTENDUS, REGIONS_ATTENDUES

from .conftest import BAROMETRE_DIR, REAL_FILES, materialisations

DETAIL_DEPARTEMENTAL = BAROMETRE_DIR / "barometre-resultats-logement-ville-detail-departemental.csv"
IND_295 = BAROMETRE_DIR / "ind-295" / "ind-295.csv"
LDA = "logement-sans-domicile-hebergement-urgence"


def csv_rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def csv_value_2017(code_departement: str, date: str) -> float:
    (row,) = [
        r for r in csv_rows(DETAIL_DEPARTEMENTAL)
        if r["id_indicateur"] == LDA and r["code_departement"] == code_departement and r["date"] == date
    ]
    return float(row["valeur"])


def csv_value_ind295(zone: str, date: str, column: str = "indic_va") -> float:
    (row,) = [r for r in csv_rows(IND_295) if r["enforce_zone_id"] == zone and r["metric_enforce_date"] == date]
    return float(row[column])


# --- the known published values --------------------------------------------------------------


def test_france_2021_and_2023(real):
    assert real.annuel("france", "FR", "2021") == (60733.0, "ok", "2021-12")
    assert real.annuel("france", "FR", "2023") == (62460.0, "ok", "2023-12")


def test_paris_2019_is_the_december_value_of_the_csv(real):
    # Checked by hand: line "…,75,Paris,2019-12-31,2486.0,personnes dans l'année*"
    assert csv_value_2017("75", "2019-12-31") == 2486.0
    assert real.annuel("departement", "75", "2019") == (2486.0, "ok", "2019-12")


def test_ind295_year_is_december_minus_previous_december(real):
    paris_2023 = csv_value_ind295("D75", "2023-12-01") - csv_value_ind295("D75", "2022-12-01", "indic_vi")
    assert paris_2023 == 3465.0
    assert real.annuel("departement", "75", "2023") == (3465.0, "ok", "2023-12")
    bouches_du_rhone_2024 = csv_value_ind295("D13", "2024-05-01") - csv_value_ind295("D13", "2023-12-01")
    assert real.annuel("departement", "13", "2024") == (bouches_du_rhone_2024, "partiel", "2024-05")
    assert real.annuel("france", "FR", "2024") == (87802.0 - 62460.0, "partiel", "2024-05")


def test_partial_years_are_flagged(real):
    # 2022 stops in November (2017–2022 layout): the value cumulated to November, statut 'partiel'.
    assert real.annuel("france", "FR", "2022") == (55524.0, "partiel", "2022-11")
    assert real.query(
        "select distinct periode, statut from staging.barometre_annuel order by 1"
    ) == [("2017", "ok"), ("2018", "ok"), ("2019", "ok"), ("2020", "ok"), ("2021", "ok"),
          ("2022", "partiel"), ("2023", "ok"), ("2024", "partiel")]


def test_annual_table_shape(real):
    columns = [row[0] for row in real.query("describe staging.barometre_annuel")]
    assert columns[:8] == ["serie", "territoire_type", "territoire_code", "periode", "valeur", "unite", "source",
                           "statut"]
    assert real.query("select distinct serie, unite from staging.barometre_annuel") == [(SERIE, "personnes")]
    sources = {row[0] for row in real.query("select distinct source from staging.barometre_annuel")}
    assert "Baromètre des résultats IND-295 : ind-295.csv" in sources
    assert "Baromètre des résultats 2017-2022 : barometre-resultats-logement-ville-detail-national.csv" in sources
    # Every territory of France every year; Mayotte (976) and its région (06) absent in 2021–2022
    counts = dict(real.query(
        "select periode || '/' || territoire_type, count(*) from staging.barometre_annuel group by 1"
    ))
    for year in ("2017", "2018", "2019", "2020", "2023", "2024"):
        assert (counts[f"{year}/departement"], counts[f"{year}/region"], counts[f"{year}/france"]) == (101, 18, 1)
    for year in ("2021", "2022"):
        assert (counts[f"{year}/departement"], counts[f"{year}/region"], counts[f"{year}/france"]) == (100, 17, 1)


# --- raw rows and the ingest log ---------------------------------------------------------------


def test_raw_rows_are_the_lines_of_the_indicator(real):
    # SOURCE.md: 6 037 / 1 057 / 60 Logement d'abord rows in the detail files, 2 280 in ind-295.csv
    counts = dict(real.query("select file_name, count(*) from raw.barometre group by 1"))
    assert counts == {
        "barometre-resultats-logement-ville-detail-departemental.csv": 6037,
        "barometre-resultats-logement-ville-detail-regional.csv": 1057,
        "barometre-resultats-logement-ville-detail-national.csv": 60,
        "ind-295.csv": 2280,
    }
    assert dict(real.query("select nature, count(*) from raw.barometre where layout = 'IND-295' group by 1")) == {
        "valeur_initiale": 120, "cumul": 120 * 17, "cible": 120,
    }


def test_territory_codes(real):
    def codes(layout, kind):
        return sorted(r[0] for r in real.query(
            "select distinct territoire_code from raw.barometre where layout = $l and territoire_type = $t",
            {"l": layout, "t": kind},
        ))

    for layout in ("2017-2022", "IND-295"):
        assert codes(layout, "departement") == sorted(DEPARTEMENTS_ATTENDUS)
        assert codes(layout, "region") == sorted(REGIONS_ATTENDUES)
        assert codes(layout, "france") == ["FR"]
    assert real.query(
        "select code_source, territoire_code from raw.barometre "
        "where layout = 'IND-295' and code_source in ('D2A', 'D971', 'R06', 'FRANCE') group by all order by 1"
    ) == [("D2A", "2A"), ("D971", "971"), ("FRANCE", "FR"), ("R06", "06")]


def test_every_file_is_logged(real):
    log = {
        row[0]: row[1:]
        for row in real.query(
            "select file_name, status, encoding, separator, rows_read, rows_accepted, rows_quarantined, "
            "rows_skipped, error from meta.ingest_log where source = 'barometre'"
        )
    }
    assert sorted(log) == sorted(p.name for p in REAL_FILES)
    for name, (status, encoding, separator, read, accepted, quarantined, skipped, _) in log.items():
        assert status == "loaded", name
        assert (encoding, separator) == ("utf-8", ","), name
        assert read == accepted + quarantined + skipped, name
        assert quarantined == 0, name
    assert log["barometre-resultats-logement-ville-detail-departemental.csv"][3:6] == (9149, 6037, 0)
    for name in ("departemental", "regional", "national"):
        status, *_, read, accepted, _, skipped, error = log[f"barometre-resultats-logement-ville-synthese-{name}.csv"]
        assert (accepted, skipped) == (0, read) and "synthèse" in error
    *_, read, accepted, _, skipped, error = log["ind-302.csv"]
    assert (read, accepted, skipped) == (1080, 0, 1080)
    assert "IND-302" in error and "IND-295" in error


def test_materialisation_metadata(real):
    metadata = materialisations(real.result)
    assert sorted(metadata) == ["marts/objectifs", "raw/barometre", "staging/barometre_annuel",
                                "staging/barometre_mensuel", "staging/barometre_objectifs"]
    assert metadata["raw/barometre"]["dagster/row_count"].value == 9434
    assert metadata["raw/barometre"]["files_loaded"].value == 8
    assert "ind-302.csv" in metadata["raw/barometre"]["files"].value
    for key, table in (("staging/barometre_mensuel", "staging.barometre_mensuel"),
                       ("staging/barometre_annuel", "staging.barometre_annuel"),
                       ("staging/barometre_objectifs", "staging.barometre_objectifs"),
                       ("marts/objectifs", "marts.objectifs")):
        assert metadata[key]["dagster/row_count"].value == real.scalar(f"select count(*) from {table}")
        assert isinstance(metadata[key]["preview"], dg.MarkdownMetadataValue)
        assert metadata[key]["preview"].value.startswith("|")


def test_assets_are_documented_and_grouped():
    from assets.barometre import ASSETS

    for asset in ASSETS:
        for key in asset.keys:
            assert key.path[0] in ("raw", "staging", "marts")
            assert asset.group_names_by_key[key] == "barometre"
            assert asset.descriptions_by_key[key] and "row" in asset.descriptions_by_key[key]
