"""Section G's household tables (intermediate.ledger_menages_mois, intermediate.ledger_sorties) rebuilt
only for the households a changed département touches (assets/indicateurs/menages.py): on generated
households of three départements (requests, orientations, admissions, exits to housing and elsewhere,
linked SNE attributions, households in two départements), a new month of one département (its requests
of the month: activity of known households, a new household, an exit to housing; the month covered)
recomputes only that département's households, and every table — the two ledger tables and the section G
mart summed from them — equals a full rebuild from an empty warehouse. A change of a fixed input of the
event table (the SNE attributions) rebuilds them whole."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.indicateurs.conftest import cover_2021_2024, write_tables
from tests.indicateurs.test_menages import _attributions
from tests.indicateurs.test_versions import SKIPPED, _contents, _full_rebuild, _materialise

LEDGER_MODELS = ("intermediate.ledger_menages_mois", "intermediate.ledger_sorties")
COMMUNES = {"01": ["01001", "01002", "01003", None], "02": ["02001", "02002", "01003", None], "75": ["75056", None]}
DESTINATIONS = ["Logement social", "Logement privé", "Rue", "Inconnue", None]


def _requests(seed: int = 11) -> list[tuple]:
    """(dep, numéro, ménage, date, commune, orientation, admission, sortie, destination, nur): 150
    households, a fifth of them with requests in two départements, dates 2021–2024-11."""
    rng = random.Random(seed)
    rows = []
    for h in range(150):
        home = rng.choice(list(COMMUNES))
        deps = [home] + ([rng.choice([d for d in COMMUNES if d != home])] if h % 5 == 0 else [])
        nur = f"N{h}" if h % 3 == 0 else None
        for k in range(rng.randint(1, 5)):
            dep = rng.choice(deps)
            day = date(2021, 1, 1) + timedelta(days=rng.randint(0, 3 * 365 + 300))
            orientation = day + timedelta(days=rng.randint(1, 40)) if rng.random() < 0.6 else None
            admission = orientation + timedelta(days=rng.randint(0, 20)) if orientation and rng.random() < 0.7 else None
            sortie = (admission or day) + timedelta(days=rng.randint(10, 200)) if rng.random() < 0.5 else None
            destination = rng.choice(DESTINATIONS) if sortie else None
            rows.append((dep, f"R{h}-{k}", f"M{h}", day, rng.choice(COMMUNES[dep]), orientation, admission, sortie,
                         destination, nur))
    return rows


def _write_requests(conn: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    conn.execute("delete from staging.siao_demandes")
    conn.executemany("""insert into staging.siao_demandes values (?, ?, ?, date '2024-12-31', ?, 'Urgence', ?,
        'Personne seule', 1, 0, 'M', '25-34 ans', 'Hôtel', 'Pourvue', null, ?, null, ?, ?, ?, ?, 'siao.csv', 2, 1)""",
                     rows)


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


def _new_month_02(rows: list[tuple]) -> list[tuple]:
    """December 2024 of département 02: a request of a known household of 02, one of a household of 01
    (now in two départements), a new household, an exit to housing of a household admitted in 02, and a
    new household housed within the month."""
    of_02 = sorted({r[2] for r in rows if r[0] == "02"})
    of_01_only = sorted({r[2] for r in rows if r[0] == "01"} - set(of_02))
    d = date.fromisoformat
    return rows + [
        ("02", "DEC-1", of_02[0], d("2024-12-03"), "02001", d("2024-12-10"), None, None, None, None),
        ("02", "DEC-2", of_01_only[0], d("2024-12-05"), None, None, None, None, None, None),
        ("02", "DEC-3", "M-nouveau", d("2024-12-07"), "02002", None, None, None, None, None),
        ("02", "DEC-4", of_02[1], d("2024-10-20"), "02002", d("2024-11-02"), d("2024-11-05"), d("2024-12-20"),
         "Logement social", None),
        ("02", "DEC-5", "M-loge", d("2024-12-01"), "02001", None, d("2024-12-02"), d("2024-12-20"), "Logement privé",
         None),
    ]


def test_a_new_month_of_one_departement_recomputes_its_households_only(warehouse: Path, tmp_path: Path):
    rows = _requests()
    assert len({r[2] for r in rows if r[0] == "02"}) < len({r[2] for r in rows}) / 2
    first = _materialise(warehouse)
    assert all(first[m] == "oui (tout)" for m in LEDGER_MODELS)
    again = _materialise(warehouse)
    assert all(again[m] == SKIPPED for m in LEDGER_MODELS + ("marts.indicateurs_ledger",))
    conn = duckdb.connect(str(warehouse), read_only=True)
    before = {m: conn.execute(f"select * from {m} order by all").fetchall() for m in LEDGER_MODELS}
    conn.close()
    assert all(before[m] for m in LEDGER_MODELS)

    conn = duckdb.connect(str(warehouse))
    _write_requests(conn, _new_month_02(rows))
    conn.execute("insert into staging.siao_couverture values ('02', '2024-12', '2024')")
    conn.close()
    after = _materialise(warehouse)
    for m in LEDGER_MODELS:
        assert after[m] == "en partie (ménages des départements 02)", m
    assert after["marts.indicateurs_ledger"] == "oui"
    assert _contents(warehouse) == _full_rebuild(warehouse, tmp_path / "full")

    conn = duckdb.connect(str(warehouse), read_only=True)
    # the new month did change the ledger: the new household enters in December as new, 02's stock too
    assert conn.execute("select actif_debut, actif_fin, commune_fin, entree from intermediate.ledger_menages_mois "
                        "where menage_id = 'M-nouveau' and mois = '2024-12'").fetchall() == [(False, True, "02002", "nouveau")]
    assert conn.execute("select mesure, jour, commune, jours from intermediate.ledger_sorties "
                        "where menage_id = 'M-loge' order by all").fetchall() == [
        ("episode", date(2024, 12, 20), "02001", 19), ("retour", date(2024, 12, 20), "02001", None)]
    assert conn.execute("select couvert, valeur_calculee > 0 from marts.indicateurs_ledger where indicateur = 'ACTIFS' "
                        "and territoire_type = 'departement' and territoire_code = '02' and periode = '2024-12'"
                        ).fetchall() == [(True, True)]
    after_rows = {m: conn.execute(f"select * from {m} order by all").fetchall() for m in LEDGER_MODELS}
    conn.close()
    assert after_rows != before


def test_changed_attributions_rebuild_the_ledger_tables_whole(warehouse: Path, tmp_path: Path):
    _materialise(warehouse)
    conn = duckdb.connect(str(warehouse))
    conn.execute("update staging.sne_attributions set date_attribution = date_attribution + 30 where nur_id = 'N3'")
    conn.close()
    after = _materialise(warehouse)
    assert after["intermediate.siao_menages_evenements"] == "oui (tout)"
    for m in LEDGER_MODELS:
        assert after[m] == "oui (tout)", m
    assert _contents(warehouse) == _full_rebuild(warehouse, tmp_path / "full")
