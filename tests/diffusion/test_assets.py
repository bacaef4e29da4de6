"""The asset `publication/fichier` materialised in process on a hand-made warehouse: the file and
its Parquet copies are written, every check passes, and the file opened read-only holds only the
disclosure-controlled tables, commented and documented, without identifier or small count."""

from __future__ import annotations

import dagster as dg
import duckdb
import polars as pl

from assets.diffusion import ASSETS, CHECKS, JOBS, SCHEDULES, SENSORS, PublicationFileResource
from assets.diffusion.fichier import IDENTIFIER_PATTERN, TABLES
from pipelines.resources import LandingResource, WarehouseResource

KEY = dg.AssetKey(["publication", "fichier"])


def resources(paths, **publication_options):
    return {
        "warehouse": WarehouseResource(database=str(paths["warehouse"])),
        "landing": LandingResource(path=str(paths["landing"])),
        "publication_file": PublicationFileResource(path=str(paths["publication"]), **publication_options),
    }


def materialise(paths, **publication_options):
    return dg.materialize(ASSETS + CHECKS, resources=resources(paths, **publication_options))


def test_layer_exports():
    assert [a.key for a in ASSETS] == [KEY]
    assert SENSORS == [] and SCHEDULES == [] and JOBS == []
    spec = ASSETS[0].specs_by_key[KEY]
    assert spec.group_name == "publication"
    assert {d.asset_key for d in spec.deps} == {
        dg.AssetKey(["publication", "indicateurs"]),
        dg.AssetKey(["publication", "parcours_siao"]),
        dg.AssetKey(["marts", "evaluation_lda"]),
        dg.AssetKey(["marts", "evaluation_methode"]),
        dg.AssetKey(["marts", "series_publiees"]),
        dg.AssetKey(["marts", "objectifs"]),
        dg.AssetKey(["reference", "territoires"]),
    }
    assert {s.name for c in CHECKS for s in c.check_specs} == {
        "colonnes_commentees",
        "aucune_colonne_identifiant",
        "aucun_petit_effectif",
    }
    assert all(s.blocking for c in CHECKS for s in c.check_specs)


def test_materialise_and_checks(paths):
    result = materialise(paths)
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 3 and all(e.passed for e in evaluations)
    metadata = result.asset_materializations_for_node("publication__fichier")[0].metadata
    assert metadata["path"].value == str(paths["publication"])
    assert metadata["bytes"].value == paths["publication"].stat().st_size
    lignes = {
        cells[0]: cells[1]
        for line in metadata["tables"].value.splitlines()[2:]
        if (cells := [c.strip() for c in line.strip("|").split("|")])
    }
    assert lignes["indicateurs"] == "11" and lignes["parcours_siao"] == "5" and lignes["evaluation_lda"] == "2"
    assert metadata["donnees_synthetiques"].value is True


def test_published_file(paths):
    assert materialise(paths).success
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        tables = [t for (t,) in conn.sql(
            "select table_name from duckdb_tables() where schema_name = 'publication' order by table_name"
        ).fetchall()]
        assert tables == sorted(TABLES)
        assert [s for (s,) in conn.sql("select distinct schema_name from duckdb_tables()").fetchall()] == ["publication"]
        columns = conn.sql(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'publication'"
        ).fetchall()
        # Every column commented (label, unit, source), every table too.
        assert all(comment for _, _, comment in columns)
        assert all(comment for (comment,) in conn.sql(
            "select comment from duckdb_tables() where schema_name = 'publication'").fetchall())
        comment = dict(((t, c), k) for t, c, k in columns)[("territoires", "population")]
        assert comment.startswith("Population.") and "Unité : habitants." in comment and "Source : Insee" in comment
        # The dictionary covers every column, and every table (column_name null).
        documented = set(conn.sql("select table_name, column_name from publication.dictionnaire").fetchall())
        assert {(t, c) for t, c, _ in columns} <= documented
        assert {(t, None) for t in TABLES} <= documented
        # No identifier column.
        assert not [c for _, c, _ in columns if IDENTIFIER_PATTERN.search(c)]
        # Interface columns.
        assert [c for t, c, _ in columns if t == "territoires"] == [
            "territoire_type", "territoire_code", "territoire_libelle", "ami", "nature", "population"]
        assert [c for t, c, _ in columns if t == "qualite"] == [
            "source", "file_name", "rows_read", "rows_accepted", "rows_quarantined", "rule", "n", "ingested_at",
            "rows_skipped", "statut", "motif", "fichiers"]
        assert [c for t, c, _ in columns if t == "series_publiees"] == [
            "serie", "territoire_type", "territoire_code", "periode", "valeur", "unite", "source", "statut"]
        # Quality: counts per lot (source, year) and rule, loaded files only, no raw line; the SIAO lot
        # has 3 quarantined lines (2 + 1): its counts are secret (3 = 50 − 47, so all three go).
        assert conn.sql("select source, file_name, rows_read, rows_accepted, rows_quarantined, rule, n, fichiers "
                        "from publication.qualite").fetchall() == [
            ("siao", "siao 2024", None, None, None, "date_invalide", None, 1),
            ("siao", "siao 2024", None, None, None, "valeur_inconnue", None, 1),
            ("sne", "sne 2024", 20, 20, 0, None, 0, 1),
        ]
        for table in TABLES:
            text = conn.sql(f"select * from publication.{table}").pl().cast(pl.String).to_pandas().to_string()
            assert "NUR-SECRET" not in text
        # No published count between 1 and 10; the secret row is published as secret, without value.
        small = conn.sql(
            "select count(*) from publication.indicateurs i join publication.catalogue c on c.code = i.indicateur "
            "where i.statut = 'ok' and c.type = 'count' and i.valeur >= 1 and i.valeur < 11"
        ).fetchall()
        assert small == [(0,)]
        assert conn.sql("select valeur, numerateur, denominateur from publication.indicateurs "
                        "where statut = 'secret'").fetchall() == [(None, None, None)]
        # Catalogue and about.
        assert conn.sql("select count(*) from publication.catalogue where code = 'TX_ATTR_SD' and type = 'rate'"
                        ).fetchall() == [(1,)]
        a_propos = dict(conn.sql("select cle, valeur from publication.a_propos").fetchall())
        assert a_propos["donnees"] == "synthétiques"
        assert a_propos["generateur_seed"] == "42"
        assert a_propos["seuil_secret_statistique"] == "11"
        assert a_propos["date_construction"][:2] == "20"
        row_counts = {t: conn.sql(f"select count(*) from publication.{t}").fetchall()[0][0] for t in TABLES}
    # Parquet copies, same row counts; nothing left over next to the file.
    parquet = paths["publication"].parent / "parquet"
    for table in TABLES:
        assert pl.read_parquet(parquet / f"{table}.parquet").height == row_counts[table]
    assert sorted(p.name for p in paths["publication"].parent.iterdir()) == ["observatoire.duckdb", "parquet"]


def test_real_data_without_parametres(paths):
    (paths["landing"] / "parametres.json").unlink()
    assert materialise(paths).success
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        assert dict(conn.sql("select cle, valeur from publication.a_propos").fetchall())["donnees"] == "réelles"


def test_flag_overrides_detection(paths):
    (paths["landing"] / "parametres.json").unlink()
    assert materialise(paths, donnees_synthetiques=True).success
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        assert dict(conn.sql("select cle, valeur from publication.a_propos").fetchall())["donnees"] == "synthétiques"


def test_wires_into_the_code_location():
    """With the resource `publication_file` added to the default ones, the whole graph resolves and
    the asset's parents are real assets of the code location."""
    from pipelines.config import Settings
    from pipelines.definitions import _collect
    from pipelines.resources import default_resources

    settings = Settings.from_env()
    defs = dg.Definitions(
        assets=[a for a in _collect("ASSETS") if a not in ASSETS] + ASSETS,
        asset_checks=[c for c in _collect("CHECKS") if c not in CHECKS] + CHECKS,
        resources={**default_resources(settings), "publication_file": PublicationFileResource(path=str(settings.publication))},
    )
    graph = defs.resolve_asset_graph()
    assert graph.get(KEY).parent_keys == {
        dg.AssetKey(["publication", "indicateurs"]),
        dg.AssetKey(["publication", "parcours_siao"]),
        dg.AssetKey(["marts", "evaluation_lda"]),
        dg.AssetKey(["marts", "evaluation_methode"]),
        dg.AssetKey(["marts", "series_publiees"]),
        dg.AssetKey(["marts", "objectifs"]),
        dg.AssetKey(["reference", "territoires"]),
    }
    defs.resolve_all_job_defs()
