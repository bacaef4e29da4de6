"""Household-level models rebuilt only for the households a changed département touches
(assets/indicateurs/menages.py), the départements' contributions to the SIAO marts only for that
département (assets/ingest/incremental.py, the marts summing them): on generated requests of three
départements, with households having requests in two of them, a change of one département's requests
(dates, types, new and removed requests, a request moved to another household, a household leaving the
département, a new month covered) recomputes only that département's households and contributions, and
every table equals a full rebuild from an empty warehouse."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.indicateurs.conftest import cover_2021_2024, write_tables
from tests.indicateurs.test_versions import (
    SKIPPED,
    _contents,
    _full_rebuild,
    _materialise,
)

HOUSEHOLD_MODELS = ("intermediate.siao_menages", "intermediate.siao_primo_demandes_territoires",
                    "intermediate.parcours_attributions_territoires")
CONTRIBUTION_MODELS = ("intermediate.siao_comptes_territoires", "intermediate.siao_delais_territoires",
                       "intermediate.siao_menages_urgence", "intermediate.siao_menages_urgence_territoires",
                       "intermediate.siao_parcours_territoires")
SIAO_MARTS = ("marts.indicateurs_siao", "marts.parcours_siao")
# a request is placed by its commune, even in another département (02 → 01003)
COMMUNES = {"01": ["01001", "01002", "01003", None], "02": ["02001", "02002", "01003", None], "75": ["75056", None]}


def _requests(seed: int = 7) -> list[tuple]:
    """(dep, numéro, ménage, date, type, commune, nur): 120 households, a fifth of them with requests
    in two départements; dates 2021–2024 so that the 730-day and 365-day rules both matter."""
    rng = random.Random(seed)
    rows = []
    for h in range(120):
        home = rng.choice(list(COMMUNES))
        deps = [home] + ([rng.choice([d for d in COMMUNES if d != home])] if h % 5 == 0 else [])
        nur = f"N{h}" if h % 3 == 0 else None
        for k in range(rng.randint(1, 5)):
            dep = rng.choice(deps)
            day = date(2021, 1, 1) + timedelta(days=rng.randint(0, 4 * 365))
            rows.append((dep, f"R{h}-{k}", f"M{h}", day.isoformat(), rng.choice(["Urgence", "Urgence", "Insertion"]),
                         rng.choice(COMMUNES[dep]), nur))
    return rows


def _write_requests(conn: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    conn.execute("delete from staging.siao_demandes")
    conn.executemany("""insert into staging.siao_demandes values (?, ?, ?, date '2024-12-31', ?, ?, ?, 'Personne seule',
        1, 0, 'M', '25-34 ans', 'Hôtel', 'En attente', null, null, null, null, null, null, ?, 'siao.csv', 2, 1)""",
                     [(d, n, m, day, t, c, nur) for d, n, m, day, t, c, nur in rows])


def _attributions(conn: duckdb.DuckDBPyConnection) -> None:
    """An SNE attribution for every NUR of the generated households, in 2022 or 2023."""
    rng = random.Random(3)
    conn.execute("delete from staging.sne_attributions")
    conn.executemany(
        "insert into staging.sne_attributions values (?, date '2021-01-01', ?, ?, 'Etat', 'Squat', 'Personne seule', "
        "1, false, false, 'sne_attributions.csv', ?)",
        [(f"N{h}", (date(2022, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat(),
          rng.choice(["01001", "02001", "75056", None]), h) for h in range(0, 120, 3)])


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    write_tables(conn)
    _write_requests(conn, _requests())
    _attributions(conn)
    cover_2021_2024(conn)
    conn.close()
    return path


def _changed_02(rows: list[tuple]) -> list[tuple]:
    """Département 02 changes: dates moved, types switched, a request removed, new requests (one of a
    household of 01, one of a new household), a request given to another household, and a household
    with requests in 01 and 02 losing its 02 requests."""
    spanning = next(m for m in {r[2] for r in rows}
                    if {r[0] for r in rows if r[2] == m} == {"01", "02"})
    out, moved, removed = [], False, False
    for dep, n, m, day, t, c, nur in rows:
        if dep != "02":
            out.append((dep, n, m, day, t, c, nur))
            continue
        if m == spanning:
            continue  # the household leaves 02
        if not removed:
            removed = True
            continue
        if not moved:
            moved = True
            out.append((dep, n, "M-autre", day, t, c, nur))
            continue
        d = date.fromisoformat(day) + timedelta(days=200)
        c = "02001" if c == "01003" else c  # no request of 02 is placed in 01 any more
        out.append((dep, n, m, d.isoformat(), "Insertion" if t == "Urgence" else "Urgence", c, nur))
    household_01 = next(r[2] for r in rows if r[0] == "01" and r[2] != spanning)
    out.append(("02", "NEW-1", household_01, "2024-02-10", "Urgence", "02002", None))
    out.append(("02", "NEW-2", "M-nouveau", "2023-06-01", "Urgence", None, "N0"))
    return out


def test_a_changed_departement_recomputes_its_households_only(warehouse: Path, tmp_path: Path):
    rows = _requests()
    assert len({r[2] for r in rows if r[0] == "02"}) < len({r[2] for r in rows}) / 2
    first = _materialise(warehouse)
    assert all(first[m] == "oui (tout)" for m in HOUSEHOLD_MODELS)
    assert all(first[m] == "oui (tout)" for m in CONTRIBUTION_MODELS)
    assert all(first[m] == "oui" for m in SIAO_MARTS)
    assert set(_materialise(warehouse).values()) == {SKIPPED}

    conn = duckdb.connect(str(warehouse))
    _write_requests(conn, _changed_02(rows))
    conn.execute("insert into staging.siao_couverture values ('02', '2024-12', '2024')")
    conn.close()
    after = _materialise(warehouse)
    for m in HOUSEHOLD_MODELS:
        assert after[m] == "en partie (ménages des départements 02)", m
    for m in CONTRIBUTION_MODELS:
        assert after[m] == "en partie (departement_siao : 02)", m
    for m in SIAO_MARTS:  # summed anew from the contributions
        assert after[m] == "oui", m
    contents = _contents(warehouse)
    assert contents == _full_rebuild(warehouse, tmp_path / "full")
    # the change did change the household-level tables
    conn = duckdb.connect(str(warehouse), read_only=True)
    assert conn.execute("select count(*) from intermediate.siao_menages where menage_id = 'M-nouveau'").fetchall() == [(1,)]
    conn.close()

    # then 75 and 01 change together, 02 comes back as it was: the three are recomputed
    conn = duckdb.connect(str(warehouse))
    _write_requests(conn, [(d, n, m, "2022-03-03" if d == "75" else day, t, c, nur)
                           for d, n, m, day, t, c, nur in rows if not (d == "01" and n.endswith("-0"))])
    conn.close()
    again = _materialise(warehouse)
    for m in HOUSEHOLD_MODELS:
        assert again[m] == "en partie (ménages des départements 01, 02, 75)", m
    for m in CONTRIBUTION_MODELS:
        assert again[m] == "en partie (departement_siao : 01, 02, 75)", m
    assert _contents(warehouse) == _full_rebuild(warehouse, tmp_path / "full2")


def test_a_changed_reference_table_rebuilds_the_household_models(warehouse: Path, tmp_path: Path):
    _materialise(warehouse)
    conn = duckdb.connect(str(warehouse))
    conn.execute("delete from reference.perimetres where territoire_type = 'territoire_lda' and code_commune = '01002'")
    conn.close()
    after = _materialise(warehouse)
    assert after["intermediate.siao_primo_demandes_territoires"] == "oui (tout)"
    assert after["intermediate.parcours_attributions_territoires"] == "oui (tout)"
    assert after["intermediate.siao_menages"] == SKIPPED  # reads the requests only
    for m in CONTRIBUTION_MODELS:  # their input placed the requests anew
        if m != "intermediate.siao_menages_urgence":  # reads the requests only
            assert after[m] == "oui (tout)", m
    assert after["intermediate.siao_menages_urgence"] == SKIPPED
    assert _contents(warehouse) == _full_rebuild(warehouse, tmp_path / "full")


def test_a_departement_placed_nowhere_changes_no_mart_row(warehouse: Path, tmp_path: Path):
    """Requests of a Département SIAO outside every territory's perimeter (2A here): its households and
    contributions are recomputed, the SIAO marts are summed anew with the same rows."""
    _materialise(warehouse)
    before = _contents(warehouse)
    conn = duckdb.connect(str(warehouse))
    conn.execute("""insert into staging.siao_demandes select '2A', 'C1', 'M1', date '2024-12-31', date '2024-05-01',
        'Urgence', null, 'Personne seule', 1, 0, 'M', '25-34 ans', 'Hôtel', 'En attente', null, null, null, null,
        null, null, null, 'siao.csv', 2, 1""")
    conn.close()
    after = _materialise(warehouse)
    for m in HOUSEHOLD_MODELS:
        assert after[m] == "en partie (ménages des départements 2A)", m
    for m in CONTRIBUTION_MODELS:
        assert after[m] == "en partie (departement_siao : 2A)", m
    contents = _contents(warehouse)
    for m in SIAO_MARTS:
        assert contents[m] == before[m], m
    assert contents == _full_rebuild(warehouse, tmp_path / "full")


def test_another_duckdb_version_rebuilds_the_household_models(warehouse: Path, monkeypatch):
    """`meta.menages_departements` keeps hashes of the households: under another DuckDB version (whose
    hash() may differ) the household models are rebuilt whole, not département by département."""
    _materialise(warehouse)
    monkeypatch.setattr(duckdb, "__version__", "0.0.0-autre")
    after = _materialise(warehouse)
    for m in HOUSEHOLD_MODELS:
        assert after[m] == "oui (tout)", m
