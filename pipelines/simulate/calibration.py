"""Real magnitudes the generator is calibrated on, read from the shipped reference data.

- Communes, départements and populations: COG 2026 (`data/reference/cog/`).
- Attributions to homeless households per département and year: the published Baromètre
  values (persons) ÷ 2.2, from the 2017–2022 layout (December value = the year) and from
  IND-295 (2023; 2024 extrapolated from January–May).
- National SNE attributions per year: published totals (`data/reference/figures/`) where known,
  interpolated elsewhere (≈ 400 000 a year).
- Paris Nuits de la Solidarité: the published totals (`data/reference/ndls/`).
- Logement d'abord territories and their perimeters: `data/config/territoires_lda.csv`.

This module reads the files directly with polars (not through the warehouse), so the
generator's ground truth does not depend on the pipeline's own code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import polars as pl

from pipelines.config import CONFIG_DIR, REFERENCE_DIR

# National SNE attributions (scale 1). 2021, 2022, 2024: published figures
# (national_reference_figures.csv); other years interpolated around them.
NATIONAL_ATTRIBUTIONS = {
    2013: 460_000, 2014: 465_000, 2015: 470_000, 2016: 472_000, 2017: 468_000, 2018: 455_000,
    2019: 450_000, 2020: 395_000, 2021: 435_400, 2022: 420_000, 2023: 400_000, 2024: 384_000,
    2025: 380_000, 2026: 378_000,
}
# SIAO requests a year at scale 1 (≈ 2 million), and the stock of active SNE demands on 31/12.
NATIONAL_SIAO_REQUESTS = 2_000_000
NATIONAL_SNE_STOCK = {2015: 1_850_000, 2025: 2_700_000}
# Baromètre convention: persons = households × 2.2.
PERSONS_PER_HOUSEHOLD = 2.2

DEPARTEMENTS_101 = None  # filled lazily from the COG file (zones metro and drom)


@dataclass
class Reference:
    """The reference facts the generator needs, loaded once."""

    reference_dir: Path = REFERENCE_DIR
    config_dir: Path = CONFIG_DIR

    @cached_property
    def communes(self) -> pl.DataFrame:
        """Communes of France's 101 départements: code, département, région, population, EPCI."""
        df = pl.read_csv(
            self.reference_dir / "cog" / "commune_epci_2026.csv", infer_schema=False
        ).filter(pl.col("zone").is_in(["metro", "drom"]))
        return df.select(
            pl.col("code_commune"),
            pl.col("code_departement"),
            pl.col("code_region"),
            pl.col("population_communes_json").cast(pl.Int64).fill_null(0).alias("population"),
            pl.col("siren_epci"),
        )

    @cached_property
    def departements(self) -> list[str]:
        return sorted(self.communes["code_departement"].unique().to_list())

    @cached_property
    def dep_population(self) -> dict[str, int]:
        agg = self.communes.group_by("code_departement").agg(pl.col("population").sum())
        return dict(zip(agg["code_departement"], agg["population"]))

    @cached_property
    def dep_region(self) -> dict[str, str]:
        df = self.communes.select("code_departement", "code_region").unique()
        return dict(zip(df["code_departement"], df["code_region"]))

    @cached_property
    def arrondissements(self) -> dict[str, list[str]]:
        """Commune → its arrondissements municipaux (Paris, Lyon, Marseille)."""
        out: dict[str, list[str]] = {}
        with open(self.config_dir / "arrondissements.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                out.setdefault(row["code_commune"], []).append(row["code_arrondissement"])
        return out

    @cached_property
    def lda_territories(self) -> list[dict]:
        """Each Logement d'abord territory with its code, reference year and commune perimeter."""
        communes = self.communes
        out = []
        with open(self.config_dir / "territoires_lda.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                members: set[str] = set()
                code = None
                parts = [p.split(":", 1) for p in row["perimetre"].split("|")]
                for kind, value in parts:
                    if kind == "epci":
                        sel = communes.filter(pl.col("siren_epci") == value)
                    elif kind == "departement":
                        sel = communes.filter(pl.col("code_departement") == value)
                    else:
                        sel = communes.filter(pl.col("code_commune") == value)
                    members |= set(sel["code_commune"].to_list())
                for wanted in ("epci", "departement", "commune"):
                    code = code or next((v for k, v in parts if k == wanted), None)
                ami = int(row["ami"])
                out.append(
                    {
                        "code": f"LDA-{ami}-{code}",
                        "ami": ami,
                        "annee_reference": ami - 1,
                        "communes": members,
                    }
                )
        return out

    @cached_property
    def lda_reference_year(self) -> dict[str, int]:
        """Commune → earliest reference year of a Logement d'abord territory containing it."""
        out: dict[str, int] = {}
        for terr in self.lda_territories:
            for c in terr["communes"]:
                out[c] = min(out.get(c, 9999), terr["annee_reference"])
        return out

    @cached_property
    def attributions_sd_target(self) -> dict[tuple[str, int], float]:
        """(département, year) → households sans domicile relogés (Baromètre persons ÷ 2.2)."""
        persons: dict[tuple[str, int], float] = {}
        path = self.reference_dir / "barometre" / "barometre-resultats-logement-ville-detail-departemental.csv"
        dec: dict[tuple[str, int], float] = {}
        nov: dict[tuple[str, int], float] = {}
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["id_indicateur"] != "logement-sans-domicile-hebergement-urgence" or not row["valeur"]:
                    continue
                year, month = int(row["date"][:4]), int(row["date"][5:7])
                if month == 12:
                    dec[(row["code_departement"], year)] = float(row["valeur"])
                elif month == 11:
                    nov[(row["code_departement"], year)] = float(row["valeur"])
        persons.update(dec)
        for (dep, year), v in nov.items():  # 2022 stops in November
            if (dep, year) not in dec:
                persons[(dep, year)] = v * 12 / 11
        ind = self.reference_dir / "barometre" / "ind-295" / "ind-295.csv"
        va: dict[tuple[str, str], float] = {}
        with open(ind, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["maille"] == "DEPT" and row["indic_va"]:
                    va[(row["enforce_zone_id"][1:], row["metric_enforce_date"][:7])] = float(row["indic_va"])
        for dep in self.departements:
            if (dep, "2023-12") in va:
                persons[(dep, 2023)] = va[(dep, "2023-12")]
                if (dep, "2024-05") in va:
                    persons[(dep, 2024)] = (va[(dep, "2024-05")] - va[(dep, "2023-12")]) * 12 / 5
        # Fill the gaps (years before 2017, after 2024, missing départements such as Mayotte
        # after 2020) from the nearest known year of the same département.
        out: dict[tuple[str, int], float] = {}
        for dep in self.departements:
            known = {y: v for (d, y), v in persons.items() if d == dep and v > 0}
            if not known:
                known = {2017: 20.0}
            for year in range(2010, 2031):
                if year in known:
                    out[(dep, year)] = known[year]
                else:
                    nearest = min(known, key=lambda y: (abs(y - year), y))
                    trend = 0.93 ** (nearest - year) if year < nearest else 1.0
                    out[(dep, year)] = known[nearest] * trend
        return {k: v / PERSONS_PER_HOUSEHOLD for k, v in out.items()}

    @cached_property
    def paris_ndls_totals(self) -> dict[int, tuple[str, int]]:
        """Year → (night date, published Paris total, consolidated when it exists)."""
        best: dict[int, tuple[int, str, int]] = {}
        rank = {"consolidated": 3, "revised": 2, "first_results": 1}
        with open(self.reference_dir / "ndls" / "ndls_paris_totals.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["territory"] != "Paris" or row["figure_status"] not in rank:
                    continue
                year = int(row["year"])
                r = rank[row["figure_status"]]
                if year not in best or r > best[year][0]:
                    best[year] = (r, row["night_of"], int(row["persons_counted"]))
        return {y: (d, v) for y, (_, d, v) in best.items()}


def national_attributions(year: int) -> int:
    if year in NATIONAL_ATTRIBUTIONS:
        return NATIONAL_ATTRIBUTIONS[year]
    return NATIONAL_ATTRIBUTIONS[min(NATIONAL_ATTRIBUTIONS, key=lambda y: abs(y - year))]


def national_sne_stock(year: int) -> float:
    (y0, v0), (y1, v1) = sorted(NATIONAL_SNE_STOCK.items())
    return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
