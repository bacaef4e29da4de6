"""Build of the researchers' publication file: a new DuckDB file with the schema `publication`
(the disclosure-controlled tables only), commented from `data/config/dictionnaire.csv`, verified,
then swapped in with `os.replace`; the same tables as Parquet files, written into a temporary
folder then swapped in.

The warehouse is attached read-only: the build never writes it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from assets.publication.secret import CATALOGUE_PATH, CONFIG_PATH, SecretConfig
from pipelines.config import CONFIG_DIR, SQL_DIR

SQL_FOLDER = SQL_DIR / "diffusion"
DICTIONNAIRE_PATH = CONFIG_DIR / "dictionnaire.csv"
SCHEMA = "publication"
#: The published tables, in the order they are built.
TABLES = (
    "indicateurs",
    "territoires",
    "series_publiees",
    "parcours_siao",
    "evaluation_lda",
    "evaluation_methode",
    "qualite",
    "qualite_controles",
    "objectifs",
    "catalogue",
    "dictionnaire",
    "a_propos",
)
#: Column names that would be identifiers (pseudonymised or not): never published.
IDENTIFIER_PATTERN = re.compile(r"(^id$|_id$|^id_|^menage|^nur|^numero)", re.IGNORECASE)


class PublicationError(Exception):
    """The file built would break a publication rule: it is not swapped in."""


def read_sql(name: str) -> str:
    return (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def sql_string(value: object) -> str:
    """A SQL string literal (for COMMENT ON, ATTACH and COPY, which take no parameters)."""
    return "'" + str(value).replace("'", "''") + "'"


def identifier_columns(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.sql(read_sql("colonnes_publiees")).fetchall()
    return [f"{table}.{column}" for table, column, _ in rows if IDENTIFIER_PATTERN.search(column)]


def uncommented(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and columns of the schema publication without a comment."""
    tables = [t for t, comment, _ in conn.sql(read_sql("tables_publiees")).fetchall() if not comment]
    columns = [f"{t}.{c}" for t, c, comment in conn.sql(read_sql("colonnes_publiees")).fetchall() if not comment]
    return tables + columns


def small_counts(conn: duckdb.DuckDBPyConnection, config: SecretConfig) -> pl.DataFrame:
    return conn.sql(
        read_sql("check_petits_effectifs"),
        params={"seuil": config.seuil, "denominateur_population": list(config.denominateur_population)},
    ).pl()


def undocumented(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Columns of the schema publication that the dictionary does not describe."""
    documented = {
        (t, c) for t, c in conn.sql("select table_name, column_name from publication.dictionnaire").fetchall()
    }
    return [
        f"{t}.{c}" for t, c, _ in conn.sql(read_sql("colonnes_publiees")).fetchall() if (t, c) not in documented
    ] + [t for t, _, _ in conn.sql(read_sql("tables_publiees")).fetchall() if (t, None) not in documented]


@dataclass
class BuildReport:
    path: Path
    bytes: int
    rows: dict[str, int]
    synthetic: bool
    built_at: str
    parquet: dict[str, Path] = field(default_factory=dict)


def write_a_propos(conn: duckdb.DuckDBPyConnection, synthetic: bool, landing: Path | None, built_at: str,
                   config: SecretConfig) -> None:
    lignes = [
        ("donnees", "synthétiques" if synthetic else "réelles"),
        (
            "avertissement",
            "Données synthétiques de démonstration produites par le générateur de l'observatoire "
            "(observatoire simulate) : elles ne décrivent aucune personne ni aucun territoire réel."
            if synthetic
            else "Données issues des fichiers sources déposés, après secret statistique.",
        ),
        ("date_construction", built_at),
        ("seuil_secret_statistique", str(config.seuil)),
    ]
    if synthetic and landing is not None and (landing / "parametres.json").is_file():
        try:
            params = json.loads((landing / "parametres.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            params = {}
        for key in ("scale", "seed", "years"):
            if key in params:
                lignes.append((f"generateur_{key}", json.dumps(params[key], ensure_ascii=False)))
    conn.execute("create table publication.a_propos (cle varchar, valeur varchar)").fetchall()
    conn.executemany("insert into publication.a_propos values (?, ?)", lignes)


def comment_all(conn: duckdb.DuckDBPyConnection) -> None:
    """COMMENT ON every table and column, from publication.dictionnaire: label, definition, unit,
    source (a column without its own source takes its table's)."""
    rows = conn.sql(
        "select table_name, column_name, libelle, definition, unite, source from publication.dictionnaire"
    ).fetchall()
    sources = {t: s for t, c, _, _, _, s in rows if c is None}
    for table, column, libelle, definition, unite, source in rows:
        parts = [f"{libelle}.", definition.rstrip(".") + "." if definition else ""]
        if unite:
            parts.append(f"Unité : {unite}.")
        source = source or sources.get(table)
        if source:
            parts.append(f"Source : {source}.")
        text = sql_string(" ".join(p for p in parts if p))
        if column is None:
            statement = f"comment on table publication.{table} is {text}"
        else:
            statement = f'comment on column publication.{table}."{column}" is {text}'
        try:
            conn.execute(statement).fetchall()
        except duckdb.CatalogException:
            # A described column the file does not have: the dictionary is checked the other way.
            continue


def verify(conn: duckdb.DuckDBPyConnection, config: SecretConfig) -> None:
    """The publication rules, on the new file before it is swapped in."""
    problems = []
    if ids := identifier_columns(conn):
        problems.append(f"colonnes d'identifiants : {', '.join(ids)}")
    if missing := undocumented(conn):
        problems.append(f"absentes du dictionnaire (data/config/dictionnaire.csv) : {', '.join(missing)}")
    if missing := uncommented(conn):
        problems.append(f"sans commentaire : {', '.join(missing)}")
    small = small_counts(conn, config)
    if small.height:
        problems.append(f"{small.height} effectifs publiés entre 1 et {config.seuil - 1} : {small.head(5).rows()}")
    small_quality = conn.sql(
        "select count(*) from publication.qualite where rows_read between 1 and $seuil - 1 "
        "or rows_accepted between 1 and $seuil - 1 or rows_quarantined between 1 and $seuil - 1 "
        "or n between 1 and $seuil - 1",
        params={"seuil": config.seuil},
    ).fetchall()[0][0]
    if small_quality:
        problems.append(f"{small_quality} lignes de publication.qualite avec un effectif entre 1 et {config.seuil - 1}")
    if problems:
        raise PublicationError("Fichier de publication refusé — " + " ; ".join(problems))


def clean_leftovers(target: Path | str, parquet_dir: Path | str | None = None) -> list[Path]:
    """Remove what an interrupted build left next to `target` and its Parquet folder (a process killed
    between two steps): the temporary files `.<name>.tmp-*` (and their `.wal`), the temporary and old
    Parquet folders `.parquet.tmp-*`, `.parquet.old-*`. Called at the start of a run, before anything is
    built: the published file and folder themselves are never touched. Returns what was removed."""
    target = Path(target)
    parquet_target = Path(parquet_dir) if parquet_dir else target.parent / "parquet"
    patterns = {(target.parent, f".{target.name}.tmp-*"),
                (parquet_target.parent, f".{parquet_target.name}.tmp-*"),
                (parquet_target.parent, f".{parquet_target.name}.old-*")}
    removed: list[Path] = []
    for folder, pattern in sorted(patterns):
        if not folder.is_dir():
            continue
        for leftover in sorted(folder.glob(pattern)):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def write_parquet(conn: duckdb.DuckDBPyConnection, target: Path) -> Path:
    """Every table as `<table>.parquet` in a new temporary folder next to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for table in TABLES:
            out = tmp / f"{table}.parquet"
            conn.execute(f"copy publication.{table} to {sql_string(out)} (format parquet)").fetchall()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def swap_folder(tmp: Path, target: Path) -> None:
    """Put the folder `tmp` in place of `target`: the old folder is renamed aside (one rename),
    the new one renamed in (a second rename), then the old one removed."""
    old = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def build(
    warehouse: Path | str,
    target: Path | str,
    *,
    synthetic: bool,
    landing: Path | str | None = None,
    parquet_dir: Path | str | None = None,
    catalogue: Path | str = CATALOGUE_PATH,
    dictionnaire: Path | str = DICTIONNAIRE_PATH,
    regles: Path | str = CONFIG_PATH,
    controles: pl.DataFrame | None = None,
) -> BuildReport:
    """Write the publication file to a new temporary file next to `target`, verify it, swap it in
    with os.replace (a reader never sees a half-written file), then swap in the Parquet folder."""
    target = Path(target)
    if target.stem.lower() == SCHEMA:
        # DuckDB names the database after the file: `publication.indicateurs` would then be ambiguous
        raise PublicationError(
            f"{target} : le fichier de publication ne peut pas s'appeler « {SCHEMA}.duckdb » (DuckDB nomme la "
            f"base d'après le fichier, comme le schéma « {SCHEMA} » : les requêtes seraient ambiguës) ; "
            "choisir un autre nom, par exemple observatoire.duckdb"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    config = SecretConfig.load(regles)
    built_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    parquet_target = Path(parquet_dir) if parquet_dir else target.parent / "parquet"
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
    parquet_tmp: Path | None = None
    try:
        with duckdb.connect(str(tmp)) as conn:
            conn.execute(f"attach {sql_string(Path(warehouse))} as entrepot (read_only)").fetchall()
            conn.execute("create schema publication").fetchall()
            for name in ("indicateurs", "territoires", "series_publiees", "parcours_siao", "evaluation_lda",
                         "evaluation_methode"):
                conn.execute(read_sql(name)).fetchall()
            conn.execute(read_sql("qualite"), {"seuil": config.seuil}).fetchall()
            has_controles = conn.sql(
                "select count(*) from duckdb_tables() where database_name = 'entrepot' "
                "and schema_name = 'publication' and table_name = 'qualite_controles'"
            ).fetchall()[0][0] > 0
            conn.execute(read_sql("qualite_controles" if has_controles else "qualite_controles_vide")).fetchall()
            if controles is not None and controles.height:  # the asset checks' results (assets/diffusion/controles.py)
                conn.register("controles_dagster", controles.to_arrow())
                conn.execute(
                    "insert into publication.qualite_controles by name select * from controles_dagster"
                ).fetchall()
                conn.unregister("controles_dagster")
            has_objectifs = conn.sql(
                "select count(*) from duckdb_tables() where database_name = 'entrepot' "
                "and schema_name = 'marts' and table_name = 'objectifs'"
            ).fetchall()[0][0] > 0
            conn.execute(read_sql("objectifs" if has_objectifs else "objectifs_vide")).fetchall()
            conn.execute(read_sql("catalogue"), {"path": str(catalogue)}).fetchall()
            conn.execute(read_sql("dictionnaire"), {"path": str(dictionnaire)}).fetchall()
            write_a_propos(conn, synthetic, Path(landing) if landing else None, built_at, config)
            conn.execute("detach entrepot").fetchall()
            comment_all(conn)
            verify(conn, config)
            rows = {t: conn.sql(f"select count(*) from publication.{t}").fetchall()[0][0] for t in TABLES}
            parquet_tmp = write_parquet(conn, parquet_target)
            conn.execute("checkpoint").fetchall()
        os.replace(tmp, target)
        swap_folder(parquet_tmp, parquet_target)
        parquet_tmp = None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        if parquet_tmp is not None:
            shutil.rmtree(parquet_tmp, ignore_errors=True)
    parquet = {table: parquet_target / f"{table}.parquet" for table in TABLES}
    return BuildReport(target, target.stat().st_size, rows, synthetic, built_at, parquet)
