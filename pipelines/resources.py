"""Dagster resources: the DuckDB warehouse and the landing folder, configured from the environment."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from pipelines.config import Settings


class WarehouseResource(dg.ConfigurableResource):
    """The internal DuckDB warehouse (exact values, pseudonymised microdata).

    One writer at a time: assets open a connection for the duration of their work.
    """

    database: str
    # DuckDB's own default is 80 % of the RAM. The whole run must fit in 4 GiB on a laptop at national
    # scale (benchmarks/): DuckDB gets 2 GB and spills to disk beyond (sorts, windows, joins), the rest
    # is for the Python side (ingestion frames).
    memory_limit: str = "2GB"

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(self.database, config={"memory_limit": self.memory_limit})
        try:
            yield conn
        finally:
            conn.close()


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
        "pseudonymisation": PseudonymisationResource(key=settings.pseudo_key or ""),
        "publication_file": PublicationFileResource(path=str(settings.publication)),
        "rapports": RapportsResource(path=str(settings.rapports)),
    }


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
