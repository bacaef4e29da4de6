"""Section G (the ledger) timings on a copy of a built warehouse (see NOTES.md, issue 17).

    python benchmarks/registre.py ENTREPOT COPIE [--sql DOSSIER_SQL]
        each of the three section G SQL files (of DOSSIER_SQL, by default this checkout's sql/) run whole
        into `scratch.<table>` of COPIE (a copy of ENTREPOT), wall and CPU time, rows, and the rows that
        differ from the table the warehouse holds (EXCEPT ALL both ways);
    python benchmarks/registre.py ENTREPOT COPIE --mois
        one new SIAO month: the requests of the latest month of one département and its coverage removed,
        section G built (whole), then put back and rebuilt (household by household), each step timed,
        the partial tables compared with the full query.

ENTREPOT is only read (copied first).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TABLES = ["intermediate/ledger_menages_mois", "intermediate/ledger_sorties", "marts/indicateurs_ledger"]


def _params(sql: str) -> dict[str, object]:
    known = {"inactivite": 90, "partiel": False}
    return {k: v for k, v in known.items() if k in set(re.findall(r"\$(\w+)", sql))}


def _ensure_categories(conn: duckdb.DuckDBPyConnection) -> None:
    """A warehouse built before reference.categories existed: build it from the configuration."""
    if not conn.execute("select count(*) from information_schema.tables where table_schema = 'reference' "
                        "and table_name = 'categories'").fetchall()[0][0]:
        conn.execute((ROOT / "sql/reference/categories.sql").read_text(encoding="utf-8"),
                     {"path": str(ROOT / "data/config/categories.csv")})


def profil(conn: duckdb.DuckDBPyConnection, sql_dir: Path) -> None:
    conn.execute("create schema if not exists scratch")
    conn.execute("create or replace temp table menages_a_recalculer (menage_hash ubigint)")
    for name in TABLES:
        sql = (sql_dir / f"{name}.sql").read_text(encoding="utf-8")
        table = name.replace("/", ".")
        scratch = "scratch." + name.split("/")[1]
        wall, cpu = time.time(), time.process_time()
        conn.execute(f"create or replace table {scratch} as\n{sql}", _params(sql))
        wall, cpu = time.time() - wall, time.process_time() - cpu
        n = conn.execute(f"select count(*) from {scratch}").fetchall()[0][0]
        a = conn.execute(f"select count(*) from (select * from {scratch} except all select * from {table})").fetchall()
        b = conn.execute(f"select count(*) from (select * from {table} except all select * from {scratch})").fetchall()
        print(f"{table} : {wall:.1f} s (CPU {cpu:.1f} s), {n} lignes ; en plus {a[0][0]}, en moins {b[0][0]}")


def mois(conn: duckdb.DuckDBPyConnection) -> None:
    from assets.indicateurs.assets import MODELS, build_model

    _ensure_categories(conn)
    # the requests are changed directly: their fingerprints are computed from the rows
    conn.execute("delete from meta.empreintes where modele = 'staging.siao_demandes'")
    dep, m = conn.execute("select departement, mois from staging.siao_couverture where mois = "
                          "(select max(mois) from staging.siao_couverture) order by departement limit 1").fetchall()[0]
    where = "departement_siao = $d and strftime(date_demande, '%Y-%m') = $m"
    conn.execute(f"create table main.mois_retire as select * from staging.siao_demandes where {where}", {"d": dep, "m": m})
    conn.execute("create table main.couverture_retiree as select * from staging.siao_couverture "
                 "where departement = $d and mois = $m", {"d": dep, "m": m})
    n = conn.execute("select count(*) from main.mois_retire").fetchall()[0][0]
    print(f"département {dep}, mois {m} : {n} demandes du mois")
    conn.execute(f"delete from staging.siao_demandes where {where}", {"d": dep, "m": m})
    conn.execute("delete from staging.siao_couverture where departement = $d and mois = $m", {"d": dep, "m": m})
    models = [next(x for x in MODELS if x.name == name) for name in ["intermediate/siao_menages_evenements", *TABLES]]

    def run(label: str) -> None:
        for model in models:
            t = time.time()
            rows, rebuilt = build_model(conn, model)
            print(f"{label} {model.name} : {time.time() - t:.1f} s, {rows} lignes, {rebuilt}", flush=True)

    run("complet")
    conn.execute("insert into staging.siao_demandes select * from main.mois_retire")
    conn.execute("insert into staging.siao_couverture select * from main.couverture_retiree")
    run("nouveau mois")
    for name in TABLES[:2]:
        sql = (ROOT / "sql" / f"{name}.sql").read_text(encoding="utf-8")
        conn.execute(f"create or replace temp table complet as\n{sql}", _params(sql))
        table = name.replace("/", ".")
        a = conn.execute(f"select count(*) from (select * from {table} except all select * from complet)").fetchall()
        b = conn.execute(f"select count(*) from (select * from complet except all select * from {table})").fetchall()
        print(f"{table} en partie contre complet : en plus {a[0][0]}, en moins {b[0][0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("entrepot", type=Path)
    parser.add_argument("copie", type=Path)
    parser.add_argument("--sql", type=Path, default=ROOT / "sql")
    parser.add_argument("--mois", action="store_true")
    args = parser.parse_args()
    args.copie.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(args.entrepot, args.copie)
    conn = duckdb.connect(str(args.copie))
    if args.mois:
        mois(conn)
    else:
        profil(conn, args.sql)
    conn.close()


if __name__ == "__main__":
    main()
