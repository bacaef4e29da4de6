"""The generator: contracts of sources.md, calibration on real magnitudes, determinism, quirks."""

from __future__ import annotations

import csv
import re
import hashlib
from pathlib import Path

import polars as pl
import pytest

from pipelines.simulate import simulate
from pipelines.simulate.calibration import NATIONAL_ATTRIBUTIONS, Reference
from pipelines.simulate.files import NDLS_COLUMNS, OFFRE_COLUMNS, SIAO_COLUMNS, SNE_ATTRIBUTION_COLUMNS, SNE_DEMANDE_COLUMNS
from pipelines.simulate.quirks import BAD_ROW_KINDS, FILE_KINDS, LINE_ACCEPTED_KINDS, LINE_SKIPPED_KINDS

SCALE = 0.02
YEARS = (2018, 2019)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    simulate(out, scale=SCALE, seed=7, years=YEARS)
    return out


@pytest.fixture(scope="module")
def quirky(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quirky")
    simulate(out, scale=SCALE, seed=7, years=YEARS, quirks=True)
    return out


def _truth(folder: Path) -> pl.DataFrame:
    return pl.read_csv(folder / "ground_truth.csv", infer_schema=False).with_columns(pl.col("valeur").cast(pl.Float64))


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.*"))}


def test_landing_layout_and_file_names(clean: Path):
    deps = Reference().departements
    assert len(deps) == 101
    siao = sorted(p.name for p in (clean / "siao").iterdir())
    # every département every month, except Mayotte whose SIAO exports start in 2019
    assert len(siao) == 100 * 24 + 12
    assert "siao_2A_2018-01.csv" in siao and "siao_976_2019-12.csv" in siao and "siao_976_2018-12.csv" not in siao
    assert sorted(p.name for p in (clean / "sne").iterdir()) == [
        "sne_attributions_2018.csv", "sne_attributions_2019.csv", "sne_demandes_2018.csv", "sne_demandes_2019.csv"]
    assert sorted(p.name for p in (clean / "offre").iterdir()) == ["offre_2018.csv", "offre_2019.csv"]
    assert "ndls_75056_2018.csv" in {p.name for p in (clean / "ndls").iterdir()}


def test_headers_are_the_contract(clean: Path):
    def header(path: Path) -> list[str]:
        return path.read_text(encoding="utf-8").splitlines()[0].split(";")

    assert header(clean / "siao" / "siao_75_2019-03.csv") == SIAO_COLUMNS
    assert header(clean / "sne" / "sne_attributions_2019.csv") == SNE_ATTRIBUTION_COLUMNS
    assert header(clean / "sne" / "sne_demandes_2019.csv") == SNE_DEMANDE_COLUMNS
    assert header(clean / "ndls" / "ndls_75056_2019.csv") == NDLS_COLUMNS
    assert header(clean / "offre" / "offre_2019.csv") == OFFRE_COLUMNS


def test_siao_requests_reappear_with_updated_status(clean: Path):
    frames = [pl.read_csv(p, separator=";", infer_schema=False) for p in sorted((clean / "siao").glob("siao_13_*.csv"))]
    siao = pl.concat(frames)
    per_request = siao.group_by("Numéro demande").agg(
        pl.len().alias("n"), pl.col("Statut de la demande").n_unique().alias("statuses"))
    assert per_request["n"].max() > 1
    assert per_request.filter(pl.col("statuses") > 1).height > 0  # En attente → Pourvue …
    # every row is consistent: extraction date is the last day of the file's month
    assert siao["Date d'extraction"].str.slice(3).n_unique() == 24


def test_national_attributions_calibrated(clean: Path):
    for year in YEARS:
        att = pl.read_csv(clean / "sne" / f"sne_attributions_{year}.csv", separator=";", infer_schema=False)
        target = NATIONAL_ATTRIBUTIONS[year] * SCALE
        assert abs(att.height - target) / target < 0.05, (year, att.height, target)


def test_homeless_attributions_near_barometre(clean: Path):
    """ATTR_SD per département near the Baromètre ÷ 2.2 (2018: one year of LDA effect at most)."""
    truth = _truth(clean)
    target = Reference().attributions_sd_target
    fr = truth.filter((pl.col("indicateur") == "ATTR_SD") & (pl.col("territoire_code") == "FR") & (pl.col("periode") == "2018"))
    expected = sum(v for (d, y), v in target.items() if y == 2018) * SCALE
    assert abs(fr["valeur"][0] - expected) / expected < 0.15  # ~430 households: ±2.5 σ
    paris = truth.filter((pl.col("indicateur") == "ATTR_SD") & (pl.col("territoire_type") == "departement")
                         & (pl.col("territoire_code") == "75") & (pl.col("periode") == "2018"))
    assert abs(paris["valeur"][0] - target[("75", 2018)] * SCALE) / (target[("75", 2018)] * SCALE) < 0.2


def test_paris_ndls_near_published(clean: Path):
    published = Reference().paris_ndls_totals
    for year in YEARS:
        df = pl.read_csv(clean / "ndls" / f"ndls_75056_{year}.csv", separator=";", infer_schema=False)
        total = df["personnes"].cast(pl.Int64).sum()
        assert abs(total - published[year][1]) / published[year][1] < 0.1


def test_ground_truth_columns_and_indicators(clean: Path):
    truth = _truth(clean)
    assert truth.columns == ["indicateur", "territoire_type", "territoire_code", "periode", "valeur"]
    codes = set(truth["indicateur"].unique())
    assert {"ATTR_SD", "ATTR_TOT", "TX_ATTR_SD", "DEM_URG", "MEN_URG", "PRIMO_DEMANDEURS", "NDLS_EVOL_PC",
            "PLACES_PF", "TX_EQUIP_LA", "DUREE_RUE_LOGEMENT", "RETOUR_RUE_12M"} <= codes
    assert set(truth["territoire_type"].unique()) == {"departement", "region", "france", "territoire_lda", "groupe",
                                                      "epci"}
    # counts add up: France = sum of départements = LDA + HORS_LDA (ATTR_TOT, a plain count)
    att = truth.filter((pl.col("indicateur") == "ATTR_TOT") & (pl.col("periode") == "2019"))
    fr = att.filter(pl.col("territoire_code") == "FR")["valeur"][0]
    assert att.filter(pl.col("territoire_type") == "departement")["valeur"].sum() == fr
    assert att.filter(pl.col("territoire_type") == "groupe")["valeur"].sum() == fr
    # the file's own count equals the truth
    n = pl.read_csv(clean / "sne" / "sne_attributions_2019.csv", separator=";", infer_schema=False).height
    assert fr == n
    # EPCI: the sum over the EPCI is France but the attributions in a commune without EPCI (COG file)
    sans_epci = set(Reference().communes.filter(pl.col("siren_epci").is_null() | (pl.col("siren_epci") == ""))["code_commune"])
    lignes = pl.read_csv(clean / "sne" / "sne_attributions_2019.csv", separator=";", infer_schema=False)
    hors_epci = lignes.filter(pl.col("commune").is_in(list(sans_epci))).height
    assert att.filter(pl.col("territoire_type") == "epci")["valeur"].sum() == fr - hors_epci
    # monthly DEM_URG exists and sums to the year
    dem = truth.filter((pl.col("indicateur") == "DEM_URG") & (pl.col("territoire_code") == "FR"))
    months = dem.filter(pl.col("periode").str.starts_with("2019-"))
    assert months.height == 12
    assert months["valeur"].sum() == dem.filter(pl.col("periode") == "2019")["valeur"][0]


def test_deterministic_for_a_seed(clean: Path, tmp_path: Path):
    simulate(tmp_path, scale=SCALE, seed=7, years=YEARS)
    assert _digest(tmp_path) == _digest(clean)


def test_other_seed_differs(clean: Path, tmp_path: Path):
    simulate(tmp_path, scale=SCALE, seed=8, years=(2019, 2019))
    a = (tmp_path / "sne" / "sne_attributions_2019.csv").read_bytes()
    assert a != (clean / "sne" / "sne_attributions_2019.csv").read_bytes()


def test_quirks_do_not_change_the_truth(clean: Path, quirky: Path):
    assert (clean / "ground_truth.csv").read_bytes() == (quirky / "ground_truth.csv").read_bytes()


def test_every_quirk_kind_is_produced(quirky: Path):
    manifest = pl.read_csv(quirky / "quirks_manifest.csv", schema_overrides={"line_number": pl.Int64})
    kinds = set(manifest["kind"].unique())
    expected = set(FILE_KINDS) | set(LINE_ACCEPTED_KINDS) | set(LINE_SKIPPED_KINDS) | set(BAD_ROW_KINDS)
    expected.add("missing_required_column")
    assert expected - kinds == set()
    outcomes = dict(manifest.select("kind", "expected").unique().iter_rows())
    assert outcomes["impossible_date"] == "quarantined" and outcomes["blank_line"] == "skipped"
    assert outcomes["missing_required_column"] == "rejected" and outcomes["date_iso"] == "accepted"
    rules = dict(manifest.filter(pl.col("expected") == "quarantined").select("kind", "rule").unique().iter_rows())
    assert rules["date_before_2010"] == "date_out_of_range" and rules["total_line_inside"] == "malformed_row"


def _line(path: Path, number: int, encoding: str) -> str:
    return path.read_bytes().decode(encoding).splitlines()[number - 1]


def test_manifest_line_numbers_point_at_the_quirk(quirky: Path):
    """Each line-level manifest entry names the physical line (header = 1) that carries the quirk."""
    manifest = pl.read_csv(quirky / "quirks_manifest.csv", schema_overrides={"line_number": pl.Int64})
    enc = {}
    for row in manifest.filter(pl.col("line_number").is_null()).iter_rows(named=True):
        if row["kind"] == "encoding_cp1252":
            enc[row["file_name"]] = "cp1252"
        elif row["kind"] == "encoding_utf8_bom":
            enc[row["file_name"]] = "utf-8-sig"
    checked = 0
    for row in manifest.filter(pl.col("line_number").is_not_null()).iter_rows(named=True):
        path = quirky / row["source"] / row["file_name"]
        text = _line(path, row["line_number"], enc.get(row["file_name"], "utf-8"))
        kind = row["kind"]
        if kind == "blank_line":
            assert text.strip(";,\t ") == ""
        elif kind in ("total_footer", "total_line_inside"):
            assert text.startswith("Total")
        elif kind == "date_iso":
            cells = re.split(r"[;,\t]", text.replace('"', "").replace("=", ""))
            assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", c) for c in cells), text
        elif kind in BAD_ROW_KINDS and kind != "malformed_row" and row["source"] != "offre":
            assert "QUIRK" in text, (kind, text)
        checked += 1
    assert checked > 50


def test_rejected_file_lacks_the_named_column(quirky: Path):
    manifest = pl.read_csv(quirky / "quirks_manifest.csv").filter(pl.col("kind") == "missing_required_column")
    assert manifest.height == 2
    for row in manifest.iter_rows(named=True):
        header = (quirky / row["source"] / row["file_name"]).read_text(encoding="utf-8").splitlines()[0].split(";")
        assert row["column_name"] not in header


def test_cp1252_file_decodes_as_cp1252_not_utf8(quirky: Path):
    manifest = pl.read_csv(quirky / "quirks_manifest.csv").filter(pl.col("kind") == "encoding_cp1252")
    path = quirky / manifest["source"][0] / manifest["file_name"][0]
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "é" in raw.decode("cp1252") or "ô" in raw.decode("cp1252")
    rows = list(csv.reader(raw.decode("cp1252").splitlines(), delimiter=";"))
    assert len(rows) > 1


def test_tiny_scale_with_empty_departement_years(tmp_path: Path):
    """At a very small scale some département-years have no request at all: files are still written
    (header only), so the département-month is covered with zero requests."""
    simulate(tmp_path, scale=0.002, seed=5, years=(2025, 2025))
    files = list((tmp_path / "siao").glob("siao_*_2025-*.csv"))
    assert len(files) == 101 * 12
    header_only = [p for p in files if len(p.read_text(encoding="utf-8").splitlines()) == 1]
    assert header_only  # some département-months without any request


def test_household_pathways_for_the_ledger(clean: Path):
    """Section G needs households that come back after housing (after a few days, weeks, months, a year
    or more), that move to another département, and that make several requests."""
    siao = pl.scan_csv(str(clean / "siao" / "siao_*.csv"), separator=";", infer_schema=False).collect()
    latest = siao.sort("Date d'extraction").unique(["Département SIAO", "Numéro demande"], keep="last").with_columns(
        pl.col("Date de la demande").str.to_date("%d/%m/%Y").alias("d"),
        pl.col("Date de sortie").str.to_date("%d/%m/%Y").alias("sortie"))
    per_household = latest.group_by("Numéro ménage").agg(
        pl.len().alias("n"), pl.col("Département SIAO").n_unique().alias("deps"))
    assert per_household["n"].mean() > 2.5
    # households of one département seen later in another (the national mobile pool aside: 2 % of requests)
    local = per_household.filter(~pl.col("Numéro ménage").str.starts_with("MEN0000"))
    assert local.filter(pl.col("deps") >= 2).height > 0.02 * local.height
    # after an exit to housing, the household's next request: within 14 days, weeks, months, one to two years
    logement = ["Logement social", "Logement privé", "Pension de famille", "Résidence sociale / FJT",
                "Intermédiation locative"]
    exits = latest.filter(pl.col("Destination à la sortie").is_in(logement)).select("Numéro ménage", "sortie")
    delays = (exits.join(latest.select("Numéro ménage", "d"), on="Numéro ménage")
              .filter(pl.col("d") > pl.col("sortie"))
              .with_columns((pl.col("d") - pl.col("sortie")).dt.total_days().alias("j"))
              .group_by("Numéro ménage", "sortie").agg(pl.col("j").min()))
    bands = [(1, 13), (15, 90), (91, 365), (366, 730)]
    counts = [delays.filter(pl.col("j").is_between(lo, hi)).height for lo, hi in bands]
    assert min(counts[:3]) >= 100 and counts[3] >= 5, counts  # two simulated years: few after more than one
    # the truth sees them: returns after housing and transfers between départements
    truth = _truth(clean).filter(pl.col("periode") == "2019")
    dep = truth.filter(pl.col("territoire_type") == "departement")
    assert dep.filter(pl.col("indicateur") == "TRANSFERTS_ENTRANTS")["valeur"].sum() > 100
    fr = dict(truth.filter(pl.col("territoire_code") == "FR").select("indicateur", "valeur").iter_rows())
    assert fr["ENTREES_RETOUR_LOGEMENT"] > 100 and fr["TRANSFERTS_ENTRANTS"] == 0  # France: no move leaves it
    assert 0 < fr["RETOUR_0_6M"] < 100 and fr["DUREE_EPISODE"] > 0
