"""Nuits de la Solidarité sector files and the offer of places: small, national, not scaled.

These are aggregate counts, not microdata volumes: `--scale` does not change them, so the
demo shows real magnitudes (Paris totals near the published ones, offer near the national
capacity figures).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.simulate.calibration import Reference

TYPE_LIEU = ["Rue", "Métro / RER", "Gare", "Parc / bois / talus", "Hôpital", "Parking", "Bailleur social", "Campement", "Autre"]
TYPE_LIEU_P = np.array([0.55, 0.15, 0.05, 0.06, 0.04, 0.03, 0.04, 0.05, 0.03])
# Cities that ran a Nuit (besides Paris from 2018), from 2022: commune code, persons per 10 000.
NDLS_CITIES = {
    "13055": 6.0, "33063": 5.0, "38185": 4.5, "59350": 5.5, "34172": 4.0, "67482": 4.0, "57463": 3.5, "35238": 3.0,
}
NDLS_CITY_START = 2022
# Offer of places on 31/12 (national, 2015 and 2025; linear in between).
OFFRE_NATIONAL = {
    "Pension de famille": (14_000, 24_000),
    "Résidence accueil": (4_000, 8_000),
    "IML mandat de gestion": (8_000, 22_000),
    "IML location / sous-location": (22_000, 52_000),
    "CHRS": (43_000, 46_000),
    "CHU": (62_000, 105_000),
    "Hôtel": (38_000, 64_000),
}


def ndls_editions(ref: Reference, seed: int, years: tuple[int, int]) -> dict[tuple[str, int], pl.DataFrame]:
    """(city commune, year) → sector rows as written in `ndls_<CODE>_<AAAA>.csv`."""
    first, last = years
    out: dict[tuple[str, int], pl.DataFrame] = {}
    pop = dict(zip(ref.communes["code_commune"], ref.communes["population"]))
    paris = ref.paris_ndls_totals
    cities: list[tuple[str, int, str, float]] = []
    for year in range(max(first, 2018), last + 1):
        if year in paris:
            cities.append(("75056", year, paris[year][0], paris[year][1]))
        for code, rate in NDLS_CITIES.items():
            if year >= NDLS_CITY_START and not (code == "57463" and year == 2024):  # Metz skipped 2024
                night = f"{year}-01-{26 - (year % 7):02d}"
                cities.append((code, year, night, pop[code] / 10_000 * rate * (1 + 0.05 * (year - 2022))))
    for code, year, night, target in cities:
        rng = np.random.default_rng([seed, 11, int(code[:2].replace("A", "0").replace("B", "0")), int(code[2:]), year])
        n_sectors = 350 if code == "75056" else 25 + int(code[-2:]) % 30
        sector_rng = np.random.default_rng([seed, 12, int(code[2:])])
        weight = sector_rng.lognormal(0, 0.8, n_sectors)  # stable across editions
        arr = (
            np.array([f"751{1 + i % 20:02d}" for i in range(n_sectors)])
            if code == "75056"
            else np.full(n_sectors, code)
        )
        covered = rng.random(n_sectors) < 0.94
        lam = target * weight * covered / (weight * covered).sum()
        persons = rng.poisson(lam)
        split = np.array([rng.multinomial(p, TYPE_LIEU_P) for p in persons])
        rows = []
        for s in range(n_sectors):
            for t, lieu in enumerate(TYPE_LIEU):
                if t == 0 or split[s, t] > 0:
                    rows.append((night, arr[s], f"S{s + 1:03d}", "Oui" if covered[s] else "Non", lieu, int(split[s, t])))
        out[(code, year)] = pl.DataFrame(
            rows, schema=["date_nuit", "code_commune", "secteur", "secteur_couvert", "type_lieu", "personnes"], orient="row"
        )
    return out


def offre_years(ref: Reference, seed: int, years: tuple[int, int]) -> dict[int, pl.DataFrame]:
    """Year → places on 31/12 by département and type, as written in `offre_<AAAA>.csv`."""
    first, last = years
    pops = ref.dep_population
    total = sum(pops.values())
    out = {}
    for year in range(first, last + 1):
        rng = np.random.default_rng([seed, 13, year])
        rows = []
        for dep in ref.departements:
            for t, (v0, v1) in OFFRE_NATIONAL.items():
                nat = v0 + (v1 - v0) * (year - 2015) / 10
                places = int(round(nat * pops[dep] / total * rng.lognormal(0, 0.25)))
                if rng.random() < 0.03:
                    places = 0
                rows.append((dep, t, places))
        out[year] = pl.DataFrame(rows, schema=["departement", "type_place", "places"], orient="row")
    return out
