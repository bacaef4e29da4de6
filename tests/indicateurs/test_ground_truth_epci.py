"""Ground truth at the EPCI level: the generator's independent truth (`ground_truth.csv`, polars,
EPCI = the SIREN of each commune in the COG file) against marts.indicateurs computed by the real
assets from the files it wrote, both ways: every EPCI value of the truth is in the mart with the same
value, and every EPCI value the mart computes (`ok`) is in the truth. Small run: scale 0.002, years
2024–2025, quirks on (≈ 1 min).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.resources import LandingResource, PseudonymisationResource, WarehouseResource
from pipelines.simulate import simulate

KEY = "cle-de-test-epci"
KEYS = ["indicateur", "territoire_type", "territoire_code", "periode"]


@pytest.fixture(scope="module")
def epci(tmp_path_factory) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(truth, mart): the EPCI rows of each, the mart's with their statut and catalogue type."""
    import assets.indicateurs as indicateurs
    import assets.ingest as ingest
    import assets.reference as reference

    root = tmp_path_factory.mktemp("ground_truth_epci")
    out = root / "simulated"
    simulate(out, scale=0.002, seed=11, years=(2024, 2025), quirks=True)
    landing = root / "landing"
    for sub in ("siao", "sne", "ndls", "offre"):
        if (out / sub).is_dir():
            shutil.copytree(out / sub, landing / sub)
    warehouse = root / "warehouse.duckdb"
    result = dg.materialize(
        [*reference.ASSETS, *ingest.ASSETS, *indicateurs.ASSETS, *indicateurs.CHECKS],
        resources={"warehouse": WarehouseResource(database=str(warehouse)),
                   "landing": LandingResource(path=str(landing)),
                   "pseudonymisation": PseudonymisationResource(key=KEY)},
    )
    assert result.success
    conn = duckdb.connect(str(warehouse), read_only=True)
    mart = conn.sql("""
        select indicateur, territoire_type, territoire_code, periode, valeur, statut, catalogue.type
        from marts.indicateurs
        left join marts.catalogue_indicateurs as catalogue on catalogue.code = indicateur
        where territoire_type = 'epci'
    """).pl()
    conn.close()
    truth = pl.read_csv(out / "ground_truth.csv", infer_schema=False).with_columns(pl.col("valeur").cast(pl.Float64))
    return truth.filter(pl.col("territoire_type") == "epci"), mart


def test_every_epci_truth_value_is_computed_and_equal(epci):
    truth, mart = epci
    assert truth.height > 10_000  # every EPCI, two years, sections A–D and G
    joined = truth.join(mart, on=KEYS, how="left", suffix="_pipeline")
    missing = joined.filter(pl.col("statut").is_null() | (pl.col("statut") != "ok"))
    assert missing.height == 0, missing.head(20)
    diff = (pl.col("valeur") - pl.col("valeur_pipeline")).abs()
    ok = pl.when(pl.col("type") == "count").then(diff == 0).otherwise(diff <= 1e-9 * pl.col("valeur").abs().clip(1.0))
    bad = joined.filter(~ok)
    with pl.Config(tbl_rows=20, tbl_width_chars=200):
        assert bad.height == 0, f"{bad.height} / {joined.height} mismatches\n{bad.head(20)}"


def test_every_epci_value_of_the_mart_is_in_the_truth(epci):
    """Of the simulated years (the published NdlS totals of Paris's earlier editions are real data,
    outside the truth)."""
    truth, mart = epci
    simulated = mart.filter((pl.col("statut") == "ok") & pl.col("periode").is_in(["2024", "2025"]))
    extra = simulated.join(truth, on=KEYS, how="anti")
    assert extra.height == 0, extra.head(20).rows()


def test_epci_across_departements_and_offer(epci):
    truth, mart = epci
    communes = pl.read_csv(Path(__file__).parents[2] / "data/reference/cog/commune_epci_2026.csv", infer_schema=False)
    a_cheval = set(
        communes.filter(pl.col("zone").is_in(["metro", "drom"])).group_by("siren_epci")
        .agg(pl.col("code_departement").n_unique().alias("n")).filter(pl.col("n") >= 2)["siren_epci"]
    )
    attr = truth.filter(pl.col("indicateur") == "ATTR_TOT")
    # the EPCI over two départements or more are compared (by the two tests above) like the others
    assert attr.filter(pl.col("territoire_code").is_in(list(a_cheval))).height >= 2 * 80
    mgp = attr.filter(pl.col("territoire_code") == "200054781")  # Métropole du Grand Paris, 6 départements
    assert mgp.height == 2 and (mgp["valeur"] > 0).all()
    # offer: known by département, absent for every EPCI, never in the truth
    assert truth.filter(pl.col("indicateur").str.starts_with("PLACES_")).height == 0
    offre = mart.filter(pl.col("indicateur").is_in(["PLACES_PF", "PLACES_IML", "PLACES_HEB", "TX_EQUIP_LA"]))
    assert offre.height > 0 and (offre["statut"] == "absent").all()
    assert mart.filter(pl.col("periode").str.len_chars() == 7).height == 0
