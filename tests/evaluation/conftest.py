"""A tiny hand-made warehouse for the layer `evaluation`: reference tables, `marts.indicateurs` and
`staging.barometre_annuel` written by hand; the right answers are computed by hand in the tests.

Départements 01, 02, 03 (one commune each) are wholly in the rest of France; 04 has two communes,
04001 (the EPCI territory E = LDA-2018-200000001, reference year 2017) and 04002 (rest of France);
05 and 06 (one commune each) make the joint territory J = LDA-2018-05 (reference year 2017); the
commune 05001 is also the territory C = LDA-2021-05001 (reference year 2020, nested in J).
Groups: LDA = {04001, 05001, 06001}, HORS_LDA = {01001, 02001, 03001, 04002}.

Attributions (ATTR_SD / ATTR_TOT), 2017 → 2018, and populations:
  01: 8/200 → 10/200 (4 % → 5 %), 20 000 inh.      02: 4/100 → 5/100, 10 000 inh.
  03: 12/300 → 15/300, 30 000 inh.                04002: 4/100 → 5/100, 10 000 inh.
  HORS_LDA: 28/700 → 35/700 (4 % → 5 %), 70 000 inh.: every part moves by +1 point (+10 per 100 000)
  E (04001): 5/100 → 8/100 (5 % → 8 %), 10 000 inh.
  05: 10/100 → 10/100 (10 % → 10 %), 06: 10/100 → 20/100 (10 % → 20 %), 10 000 inh. each
  J = 05 + 06: 20/200 → 30/200 (10 % → 15 %);  LDA = E + J: 25/300 → 38/300.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

E = "LDA-2018-200000001"
J = "LDA-2018-05"
C = "LDA-2021-05001"

COMMUNES = [  # code, département, population
    ("01001", "01", 20_000), ("02001", "02", 10_000), ("03001", "03", 30_000),
    ("04001", "04", 10_000), ("04002", "04", 10_000), ("05001", "05", 10_000), ("06001", "06", 10_000),
]
DEPARTEMENTS = ["01", "02", "03", "04", "05", "06"]
LDA_COMMUNES = {E: ["04001"], J: ["05001", "06001"], C: ["05001"]}
GROUPES = {"LDA": ["04001", "05001", "06001"], "HORS_LDA": ["01001", "02001", "03001", "04002"]}
TERRITOIRES_LDA = [  # code, libellé, ami, nature, annee_reference
    (E, "EPCI E", 2018, "epci", 2017),
    (J, "Départements 05 et 06", 2018, "candidature conjointe", 2017),
    (C, "Commune 05001", 2021, "commune", 2020),
]
# (type, code) -> {year: (ATTR_SD, ATTR_TOT)}
COMPTES = {
    ("departement", "01"): {"2017": (8, 200), "2018": (10, 200)},
    ("departement", "02"): {"2017": (4, 100), "2018": (5, 100)},
    ("departement", "03"): {"2017": (12, 300), "2018": (15, 300)},
    ("departement", "04"): {"2017": (9, 200), "2018": (13, 200)},
    ("departement", "05"): {"2017": (10, 100), "2018": (10, 100)},
    ("departement", "06"): {"2017": (10, 100), "2018": (20, 100)},
    ("groupe", "HORS_LDA"): {"2017": (28, 700), "2018": (35, 700)},
    ("groupe", "LDA"): {"2017": (25, 300), "2018": (38, 300)},
    ("territoire_lda", E): {"2017": (5, 100), "2018": (8, 100)},
    ("territoire_lda", J): {"2017": (20, 200), "2018": (30, 200)},
    ("territoire_lda", C): {"2017": (10, 100), "2018": (10, 100)},
}

INDICATEURS_COLUMNS = ["indicateur", "territoire_type", "territoire_code", "territoire_libelle", "periode", "valeur",
                       "numerateur", "denominateur", "statut", "source", "part_non_localisable"]


def perimetre(ttype: str, code: str) -> list[str]:
    if ttype == "departement":
        return [c for c, d, _ in COMMUNES if d == code]
    if ttype == "groupe":
        return GROUPES[code]
    return LDA_COMMUNES[code]


def indicateurs_rows(comptes: dict = COMPTES) -> list[dict]:
    rows = []
    for (ttype, code), years in comptes.items():
        for periode, (sd, tot) in years.items():
            base = {"territoire_type": ttype, "territoire_code": code, "territoire_libelle": None, "periode": periode,
                    "statut": "ok", "source": "test", "part_non_localisable": 0.0}
            rows.append({**base, "indicateur": "ATTR_SD", "valeur": float(sd), "numerateur": float(sd),
                         "denominateur": None})
            rows.append({**base, "indicateur": "ATTR_TOT", "valeur": float(tot), "numerateur": float(tot),
                         "denominateur": None})
            rows.append({**base, "indicateur": "TX_ATTR_SD", "valeur": sd / tot * 100, "numerateur": float(sd),
                         "denominateur": float(tot)})
    return rows


def write_frame(conn: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: list[str] | None = None) -> None:
    frame = pl.DataFrame(rows, infer_schema_length=None)  # noqa: F841 (read by DuckDB)
    if columns:
        frame = frame.select(columns)  # noqa: F841
    conn.execute(f"create or replace table {table} as select * from frame").fetchall()


def build_reference(conn: duckdb.DuckDBPyConnection) -> None:
    for schema in ("reference", "marts", "staging"):
        conn.execute(f"create schema if not exists {schema}").fetchall()
    write_frame(conn, "reference.communes", [
        {"code_commune": c, "code_departement": d, "population": p} for c, d, p in COMMUNES])
    write_frame(conn, "reference.departements", [{"code_departement": d} for d in DEPARTEMENTS])
    perimetres = [("departement", d) for d in DEPARTEMENTS] + [("groupe", g) for g in GROUPES] + [
        ("territoire_lda", t) for t in LDA_COMMUNES]
    write_frame(conn, "reference.perimetres", [
        {"territoire_type": t, "territoire_code": code, "code_commune": c}
        for t, code in perimetres for c in perimetre(t, code)])
    entiers = [("departement", d, d) for d in DEPARTEMENTS] + [
        ("groupe", "HORS_LDA", "01"), ("groupe", "HORS_LDA", "02"), ("groupe", "HORS_LDA", "03"),
        ("groupe", "LDA", "05"), ("groupe", "LDA", "06"), ("territoire_lda", J, "05"), ("territoire_lda", J, "06")]
    write_frame(conn, "reference.perimetres_departements", [
        {"territoire_type": t, "territoire_code": code, "code_departement": d} for t, code, d in entiers])
    population = {c: p for c, _, p in COMMUNES}
    territoires = [
        {"territoire_type": t, "territoire_code": code, "territoire_libelle": f"{t} {code}", "ami": None,
         "nature": None, "population": sum(population[c] for c in perimetre(t, code)), "annee_reference": None}
        for t, code in [("departement", d) for d in DEPARTEMENTS] + [("groupe", g) for g in GROUPES]
    ] + [
        {"territoire_type": "territoire_lda", "territoire_code": code, "territoire_libelle": libelle, "ami": ami,
         "nature": nature, "population": sum(population[c] for c in LDA_COMMUNES[code]), "annee_reference": ref}
        for code, libelle, ami, nature, ref in TERRITOIRES_LDA
    ] + [
        {"territoire_type": "region", "territoire_code": "84", "territoire_libelle": "Région 84", "ami": None,
         "nature": None, "population": 120_000, "annee_reference": None},
        {"territoire_type": "france", "territoire_code": "FR", "territoire_libelle": "France", "ami": None,
         "nature": None, "population": 120_000, "annee_reference": None},
    ]
    write_frame(conn, "reference.territoires", territoires)
    conn.execute("alter table reference.territoires alter ami type integer").fetchall()
    conn.execute("alter table reference.territoires alter annee_reference type integer").fetchall()
    conn.execute("alter table reference.territoires alter nature type varchar").fetchall()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A DuckDB file holding the hand-made reference tables and marts.indicateurs (COMPTES)."""
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        build_reference(conn)
        write_frame(conn, "marts.indicateurs", indicateurs_rows(), INDICATEURS_COLUMNS)
    return path
