"""Dagster resources: the DuckDB warehouse and the landing folder, configured from the environment."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from pipelines.config import Settings

#: The environment variable holding the pseudonymisation key; Dagster reads it there (`dg.EnvVar`).
PSEUDO_KEY_ENV = "OBSERVATOIRE_PSEUDO_KEY"


class _SharedConnections:
    """The warehouse connections kept open for a whole run (`shared_connections`), one per database.

    Opening a DuckDB file reads its catalogue: ≈ 45 ms for the national warehouse, and a run opens it
    ≈ 170 times (assets and checks), 7 s of a monthly run. Within a run, every `connect()` of the process
    reuses one connection, left as a fresh one would be: an open transaction is rolled back and the
    temporary tables and views are dropped after each use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._open: dict[tuple[str, str], duckdb.DuckDBPyConnection] = {}

    @property
    def active(self) -> bool:
        return self._depth > 0

    def get(self, database: str, memory_limit: str) -> duckdb.DuckDBPyConnection:
        with self._lock:
            key = (str(Path(database).resolve()), memory_limit)
            conn = self._open.get(key)
            if conn is None:
                conn = self._open[key] = duckdb.connect(database, config={"memory_limit": memory_limit})
            return conn

    def release(self, database: str) -> None:
        """Close the shared connection(s) to `database` (another connection of the process, e.g. an
        ATTACH, can then open the file: DuckDB refuses a file already open in the process)."""
        with self._lock:
            path = str(Path(database).resolve())
            for key in [k for k in self._open if k[0] == path]:
                self._open.pop(key).close()

    def enter(self) -> None:
        with self._lock:
            self._depth += 1

    def exit(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                opened, self._open = list(self._open.values()), {}
                for conn in opened:
                    conn.close()


_SHARED = _SharedConnections()


@contextmanager
def shared_connections() -> Iterator[None]:
    """Within this block, `WarehouseResource.connect()` reuses one connection per warehouse (closed at
    the end). For one process that runs the assets one after another (`observatoire run`)."""
    _SHARED.enter()
    try:
        yield
    finally:
        _SHARED.exit()


def _reset(conn: duckdb.DuckDBPyConnection) -> None:
    """Leave a shared connection as a new one: no open transaction, no temporary table or view."""
    try:
        conn.execute("rollback").fetchall()
    except duckdb.Error:
        pass  # no transaction was open
    temporary = conn.execute(
        "select 'view', view_name from duckdb_views() where temporary and not internal "
        "union all select 'table', table_name from duckdb_tables() where temporary"
    ).fetchall()
    for kind, name in temporary:
        conn.execute(f'drop {kind} if exists temp.main."{name}"').fetchall()


class WarehouseResource(dg.ConfigurableResource):
    """The internal DuckDB warehouse (exact values, pseudonymised microdata).

    One writer at a time: assets open a connection for the duration of their work (within
    `shared_connections`, the run's one connection).
    """

    database: str
    # DuckDB's own default is 80 % of the RAM. The whole run must fit in 4 GiB on a laptop at national
    # scale (benchmarks/): DuckDB gets 2 GB and spills to disk beyond (sorts, windows, joins), the rest
    # is for the Python side (ingestion frames).
    memory_limit: str = "2GB"

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        if _SHARED.active:
            conn = _SHARED.get(self.database, self.memory_limit)
            try:
                yield conn
            finally:
                _reset(conn)
            return
        conn = duckdb.connect(self.database, config={"memory_limit": self.memory_limit})
        try:
            yield conn
        finally:
            conn.close()

    def release(self) -> None:
        """Close the run's shared connection to the warehouse, if any, before another connection of
        this process opens the file (the next `connect()` opens it again)."""
        _SHARED.release(self.database)


class LandingResource(dg.ConfigurableResource):
    """The landing folder where source files are dropped (`<landing>/<source>/`)."""

    path: str

    def folder(self, source: str) -> Path:
        return Path(self.path) / source


def default_resources(settings: Settings | None = None) -> dict[str, dg.ConfigurableResource]:
    from assets.diffusion.resources import PublicationFileResource
    from assets.rapport.resources import RapportsResource

    settings = settings or Settings.from_env()
    return {
        "warehouse": WarehouseResource(database=str(settings.warehouse)),
        "landing": LandingResource(path=str(settings.landing)),
        "pseudonymisation": PseudonymisationResource(key=pseudo_key_config(settings)),
        "publication_file": PublicationFileResource(path=str(settings.publication)),
        "rapports": RapportsResource(path=str(settings.rapports)),
    }


def pseudo_key_config(settings: Settings) -> str | dg.EnvVar:
    """The key as Dagster's configuration holds it: the name of its environment variable, never its value
    (a plain string would be shown in the UI and stored with each run's job in the instance). Without a
    key, an empty string: the ingestion then refuses with a French message (`require`)."""
    if not settings.pseudo_key:
        return ""
    if os.environ.get(PSEUDO_KEY_ENV) != settings.pseudo_key:
        raise ValueError(f"la clé de pseudonymisation parvient à Dagster par la variable {PSEUDO_KEY_ENV} seulement : "
                         "la définir dans l'environnement (`pipelines.run.key_in_environment`)")
    return dg.EnvVar(PSEUDO_KEY_ENV)


class PseudonymisationResource(dg.ConfigurableResource):
    """The secret key of the pseudonymisation (HMAC-SHA-256), from `OBSERVATOIRE_PSEUDO_KEY`."""

    key: str = ""

    def require(self) -> str:
        if not self.key:
            raise dg.Failure(
                "OBSERVATOIRE_PSEUDO_KEY n'est pas définie : la clé secrète de pseudonymisation est obligatoire "
                "pour ingérer des fichiers (les identifiants personnels ne sont jamais stockés en clair)."
            )
        return self.key
