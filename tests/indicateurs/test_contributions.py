"""SIAO marts summed from the départements' contributions (intermediate.siao_comptes_territoires,
siao_delais_territoires, siao_menages_urgence_territoires, siao_parcours_territoires, each rebuilt
département by département): on generated requests of three départements (every status, orientations,
admissions with tied and negative delays, exits), the marts equal the request-level computation they
replace (tests/indicateurs/reference_sql/, the former SQL), bit for bit, after a full build and after
incremental rebuilds (a household spanning two départements, a request moved to another département,
a département that no longer places anything, a changed median); and equal a full rebuild from an
empty warehouse."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from assets.indicateurs.assets import PARCOURS_CATEGORIES_PATH
from pipelines.config import SQL_DIR
from tests.indicateurs.conftest import cover_2021_2024, write_tables
from tests.indicateurs.test_versions import _contents, _full_rebuild, _materialise

REFERENCE = Path(__file__).parent / "reference_sql"
CONTRIBUTIONS = ("intermediate.siao_comptes_territoires", "intermediate.siao_delais_territoires",
                 "intermediate.siao_menages_urgence", "intermediate.siao_menages_urgence_territoires",
                 "intermediate.siao_parcours_territoires")
MARTS = ("marts.indicateurs_siao", "marts.parcours_siao")
COMMUNES = {"01": ["01001", "01002", "01003", None], "02": ["02001", "02002", "01003", None], "75": ["75056", None]}
SITUATIONS = ["Rue / abri de fortune", "Squat / bidonville", "Hôtel", "Logement ordinaire", "Autre situation", None]
ORIENTATIONS = ["CHU", "CHRS", "Pension de famille", "Logement ordinaire", "Intermédiation locative", "Autre", None]
DESTINATIONS = ["Logement social", "Logement privé", "Rue", "Inconnue", "", "Autre hébergement", None]
Row = tuple  # the 24 columns of staging.siao_demandes


def _request(rng: random.Random, dep: str, numero: str, menage: str | None) -> Row:
    day = date(2021, 1, 1) + timedelta(days=rng.randint(0, 4 * 365))
    type_demande = rng.choice(["Urgence", "Urgence", "Insertion"])
    statut = rng.choice(["Pourvue", "Pourvue", "Non pourvue", "En attente", "Annulée"])
    motif = rng.choice(["Absence de place", "Autre", None]) if statut == "Non pourvue" else None
    orientation = rng.choice(ORIENTATIONS) if statut == "Pourvue" else None
    admission = sortie = destination = None
    if statut == "Pourvue" and rng.random() < 0.8:
        admission = day + timedelta(days=rng.choice([-2, 0, 5, 5, 10, 30, 30, 90, 400]))  # ties, negative
        if rng.random() < 0.6:
            sortie = admission + timedelta(days=rng.randint(0, 500))
            destination = rng.choice(DESTINATIONS)
    return (dep, numero, menage, date(2024, 12, 31), day, type_demande, rng.choice(COMMUNES[dep]), "Personne seule",
            1, 0, "M", "25-34 ans", rng.choice(SITUATIONS), statut, motif, None, orientation, admission, sortie,
            destination, None, "siao.csv", 2, 1)


def _requests(seed: int = 11) -> list[Row]:
    """150 households, a fifth of them with requests in two départements."""
    rng = random.Random(seed)
    rows = []
    for h in range(150):
        home = rng.choice(list(COMMUNES))
        deps = [home] + ([rng.choice([d for d in COMMUNES if d != home])] if h % 5 == 0 else [])
        for k in range(rng.randint(1, 6)):
            rows.append(_request(rng, rng.choice(deps), f"R{h}-{k}", f"M{h}"))
    return rows


def _write(conn: duckdb.DuckDBPyConnection, rows: list[Row]) -> None:
    conn.execute("delete from staging.siao_demandes")
    conn.executemany(f"insert into staging.siao_demandes values ({', '.join(['?'] * 24)})", rows)


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    write_tables(conn)
    _write(conn, _requests())
    cover_2021_2024(conn)
    conn.close()
    return path


def _assert_marts_equal_reference(path: Path) -> None:
    """Each mart has exactly the rows (columns, types, values) of the request-level reference SQL."""
    conn = duckdb.connect(str(path), read_only=True)
    for mart, params in (("indicateurs_siao", {}), ("parcours_siao", {"categories": str(PARCOURS_CATEGORIES_PATH)})):
        sql = (REFERENCE / f"{mart}.sql").read_text(encoding="utf-8")
        conn.execute(f"create or replace temp table reference as {sql}", params or None)
        assert (conn.execute("select column_name, column_type from (describe reference)").fetchall()
                == conn.execute(f"select column_name, column_type from (describe marts.{mart})").fetchall()), mart
        for a, b in ((f"marts.{mart}", "reference"), ("reference", f"marts.{mart}")):
            assert conn.execute(f"select * from {a} except all select * from {b}").fetchall() == [], mart
        assert conn.execute(f"select count(*) from marts.{mart}").fetchall()[0][0] > 0
    conn.close()


def _check(path: Path, tmp: Path) -> None:
    _assert_marts_equal_reference(path)
    assert _contents(path) == _full_rebuild(path, tmp)


def test_marts_equal_the_request_level_computation(warehouse: Path):
    _materialise(warehouse)
    _assert_marts_equal_reference(warehouse)
    conn = duckdb.connect(str(warehouse), read_only=True)
    # the data exercise what the contributions must get right: medians of even and odd counts with
    # ties, and households counted in two départements for the same territory and year
    sizes = {n for (n,) in conn.execute("select sum(n) from intermediate.siao_delais_territoires "
                                        "where territoire_type = 'france' group by periode").fetchall()}
    assert any(n % 2 == 0 for n in sizes) and any(n % 2 == 1 for n in sizes)
    # MEN_URG summed naively over the départements differs from the distinct households
    naive = dict(conn.execute("select periode, count(*) from intermediate.siao_menages_urgence_territoires "
                              "where territoire_type = 'france' group by periode").fetchall())
    exact = dict(conn.execute("select periode, numerateur from marts.indicateurs_siao where indicateur = 'MEN_URG' "
                              "and territoire_type = 'france' and periode in (select periode from intermediate.periodes "
                              "where granularite = 'annee')").fetchall())
    assert any(naive[p] > exact[p] for p in naive)
    assert {p: v for p, v in exact.items() if v} == {p: float(n) for p, n in conn.execute(
        "select annee_demande, count(distinct menage_id) from intermediate.siao_demandes_territoires "
        "where territoire_type = 'france' and localisable and type_demande = 'Urgence' group by all").fetchall()}
    conn.close()


def test_lower_median_of_the_histogram_is_quantile_disc():
    """The median DELAI_ORIENT_INS from summed histograms (cumulative count >= ceil(n / 2)) is
    quantile_disc(x, 0.5), for every size from 1 to 7, ties and negative values."""
    conn = duckdb.connect(":memory:")
    cases = [[5], [1, 9], [1, 2, 3, 4], [1, 2, 3, 4, 5], [6, 5, 4, 3, 2, 1], [3, 3, 1, 1], [-2, 0, 0, 7, 7, 7, 9],
             [2, 2, 2], [10, -5], [4, 4, 8, 8, 8, 1]]
    for values in cases:
        expected = conn.execute("select quantile_disc(x, 0.5) from (select unnest($v::bigint[]) as x)",
                                {"v": values}).fetchall()[0][0]
        got = conn.execute("""
            with h as (select x, count(*) as n from (select unnest($v::bigint[]) as x) group by x),
            c as (select x, sum(n) over (order by x rows between unbounded preceding and current row) as cumul,
                  sum(n) over () as total from h)
            select min(x) from c where cumul >= (total + 1) // 2""", {"v": values}).fetchall()[0][0]
        assert got == expected, values


def test_households_sharing_a_hash_are_counted_exactly(warehouse: Path):
    """MEN_URG counts households by the 64-bit hash of their pseudonym, and by the pseudonym those
    whose hash another household shares: with the hash cut to 101 values (collisions within and
    across départements, next to hashes of one household), the count is still the request-level one."""
    _materialise(warehouse)
    conn = duckdb.connect(str(warehouse))
    for name in ("intermediate/siao_menages_urgence", "intermediate/siao_menages_urgence_territoires",
                 "marts/indicateurs_siao"):
        sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
        assert "hash(menage_id)" in sql, name
        conn.execute(f"create or replace table {name.replace('/', '.')} as "
                     + sql.replace("hash(menage_id)", "(hash(menage_id) % 101)"))
    shared, alone_in_two = conn.execute(
        "select count(*) filter (where n > 1), count(*) filter (where n = 1 and d > 1) from (select menage_hash, "
        "count(distinct menage_id) as n, count(distinct departement_siao) as d "
        "from intermediate.siao_menages_urgence group by menage_hash)").fetchall()[0]
    assert shared > 0 and alone_in_two > 0
    conn.close()
    _assert_marts_equal_reference(warehouse)


def test_another_duckdb_version_rebuilds_the_stored_hashes(warehouse: Path, monkeypatch):
    """The hashes of the households are stored: under another DuckDB version (whose hash() may differ)
    the models storing them are rebuilt whole, not mixed département by département."""
    _materialise(warehouse)
    monkeypatch.setattr(duckdb, "__version__", "0.0.0-autre")
    after = _materialise(warehouse)
    for m in ("intermediate.siao_menages_urgence", "intermediate.siao_menages_urgence_territoires"):
        assert after[m] == "oui (tout)", m
    assert after["intermediate.siao_comptes_territoires"] == "non (entrées inchangées)"


def _spanning(rows: list[Row]) -> str:
    return next(m for m in sorted({r[2] for r in rows}) if {r[0] for r in rows if r[2] == m} == {"01", "02"})


def test_incremental_rebuilds_equal_the_reference_and_a_full_rebuild(warehouse: Path, tmp_path: Path):
    rows = _requests()
    first = _materialise(warehouse)
    assert all(first[m] == "oui (tout)" for m in CONTRIBUTIONS)
    _check(warehouse, tmp_path / "f0")

    # 1. a household with requests in 01 and 02: its 02 requests get the dates of its 01 ones (same
    #    territories and years in two départements), and one of them moves to 01
    spanning = _spanning(rows)
    dates_01 = [r[4] for r in rows if r[2] == spanning and r[0] == "01"]
    changed, moved = [], False
    for r in rows:
        if r[2] == spanning and r[0] == "02":
            r = (*r[:4], dates_01[0], "Urgence", *r[6:])
            if not moved:
                moved = True
                r = ("01", *r[1:6], "01001", *r[7:])
        changed.append(r)
    conn = duckdb.connect(str(warehouse))
    _write(conn, changed)
    conn.close()
    after = _materialise(warehouse)
    for m in CONTRIBUTIONS:
        assert after[m] == "en partie (departement_siao : 01, 02)", m
    for m in MARTS:
        assert after[m] == "oui", m
    _check(warehouse, tmp_path / "f1")

    # 2. a changed median: the admissions of 75 a week later
    changed = [(*r[:17], r[17] + timedelta(days=7) if r[0] == "75" and r[17] else r[17], *r[18:]) for r in changed]
    conn = duckdb.connect(str(warehouse))
    _write(conn, changed)
    conn.close()
    after = _materialise(warehouse)
    assert after["intermediate.siao_delais_territoires"] == "en partie (departement_siao : 75)"
    _check(warehouse, tmp_path / "f2")

    # 3. a département that no longer places anything: 02's requests all gone
    changed = [r for r in changed if r[0] != "02"]
    conn = duckdb.connect(str(warehouse))
    _write(conn, changed)
    conn.close()
    after = _materialise(warehouse)
    assert after["intermediate.siao_comptes_territoires"] == "en partie (departement_siao : 02)"
    _check(warehouse, tmp_path / "f3")
    conn = duckdb.connect(str(warehouse), read_only=True)
    for m in CONTRIBUTIONS:
        assert conn.execute(f"select count(*) from {m} where departement_siao = '02'").fetchall() == [(0,)], m
    conn.close()

    # 4. nothing changed: nothing rebuilt
    assert set(_materialise(warehouse).values()) == {"non (entrées inchangées)"}
