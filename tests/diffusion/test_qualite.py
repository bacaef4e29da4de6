"""`publication.qualite` has no side channel: the monthly SIAO files of each département are summed
by source and year (a file's accepted rows would predict that month's requests, a suppressed count),
and a lot's count between 1 and 10 is suppressed together with the counts it could be recomputed
from."""

from __future__ import annotations

import duckdb

from assets.diffusion.fichier import build


def log_row(source, file_name, read, accepted, quarantined, status="loaded", at="2026-01-01 00:00:00"):
    return (source, file_name, "sha", 100, "utf-8", ";", status, None, read, accepted, quarantined, 0, at, None)


INGEST_LOG = [
    # Département 01 and 02, January and February 2024: 4 + 7 + 60 + 35 accepted = 106.
    log_row("siao", "siao_01_2024-01.csv", 4, 4, 0, at="2026-01-01 10:00:00"),
    log_row("siao", "siao_01_2024-02.csv", 7, 7, 0),
    log_row("siao", "siao_02_2024-01.csv", 62, 60, 2),
    log_row("siao", "siao_02_2024-02.csv", 35, 35, 0, at="2026-01-02 08:00:00"),
    # 2025: one file, 9 lines read, all accepted → secret.
    log_row("siao", "siao_01_2025-01.csv", 9, 9, 0),
    # SNE 2024: 500 read, 468 accepted, 32 quarantined (20 bad dates, 11 malformed, 1 missing value).
    log_row("sne", "sne_demandes_2024.csv", 500, 468, 32),
    # A replaced file is not counted.
    log_row("sne", "sne_demandes_2023.csv", 400, 400, 0, status="replaced"),
    # A file whose name carries no year: its source alone.
    log_row("barometre", "barometre-detail-departemental.csv", 300, 300, 0),
]

QUARANTINE = (
    [("siao", "siao_02_2024-01.csv", i, "c", "date_invalide", "m", "raw") for i in (3, 8)]
    + [("sne", "sne_demandes_2024.csv", i, "c", "malformed_row", "m", "raw") for i in range(11)]
    + [("sne", "sne_demandes_2024.csv", 99, "c", "required_value_missing", "m", "raw")]
    + [("sne", "sne_demandes_2024.csv", 100 + i, "c", "date_invalide", "m", "raw") for i in range(20)]
)


def test_quality_is_published_by_lot_without_small_counts(paths):
    with duckdb.connect(str(paths["warehouse"])) as conn:
        conn.execute("delete from meta.ingest_log").fetchall()
        conn.executemany("insert into meta.ingest_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", INGEST_LOG)
        conn.execute("delete from meta.quarantine").fetchall()
        conn.executemany("insert into meta.quarantine values (?, ?, ?, ?, ?, ?, ?)", QUARANTINE)
    build(paths["warehouse"], paths["publication"], synthetic=True)
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        rows = conn.sql("select source, file_name, rows_read, rows_accepted, rows_quarantined, rule, n, fichiers, "
                        "cast(ingested_at as varchar) from publication.qualite").fetchall()
        names = " ".join(str(r) for r in conn.sql("select * from publication.qualite").fetchall())
    assert rows == [
        ("barometre", "barometre", 300, 300, 0, None, 0, 1, "2026-01-01 00:00:00"),
        # 2024: the four monthly files of two départements summed (108 read, 106 accepted, 2 refused
        # by one rule: the lot's 2 refusals are a count 1..10, suppressed with read/accepted/quarantined).
        ("siao", "siao 2024", None, None, None, "date_invalide", None, 4, "2026-01-02 08:00:00"),
        # 2025: 9 lines in one file → secret.
        ("siao", "siao 2025", None, None, None, None, None, 1, "2026-01-01 00:00:00"),
        # SNE 2024: the rule with 1 refusal is suppressed, and the smallest other one (11), else
        # 32 − 20 − 11 would give it back.
        ("sne", "sne 2024", 500, 468, 32, "date_invalide", 20, 1, "2026-01-01 00:00:00"),
        ("sne", "sne 2024", 500, 468, 32, "malformed_row", None, 1, "2026-01-01 00:00:00"),
        ("sne", "sne 2024", 500, 468, 32, "required_value_missing", None, 1, "2026-01-01 00:00:00"),
    ]
    # No file name, hence no département or month, is published.
    assert "siao_01" not in names and "2024-01" not in names
