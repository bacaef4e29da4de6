"""Paths and settings of the observatory, overridable by environment variables.

Every path the project reads at run time lives under the repository's `data/` folder
(reference data, configuration files) or under the folders named by the
`OBSERVATOIRE_*` environment variables (landing files, warehouse, publication).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
CONFIG_DIR = DATA_DIR / "config"
SQL_DIR = PROJECT_ROOT / "sql"

SOURCES = ("siao", "sne", "ndls", "offre", "barometre")

# Demo key: published in the code on purpose; `observatoire demo` says so.
DEMO_PSEUDO_KEY = "cle-de-demonstration-publique-ne-pas-utiliser-en-production"

# First year of the observatory's series and of the generator's default range.
FIRST_YEAR = 2015


@dataclass(frozen=True)
class Settings:
    landing: Path
    warehouse: Path
    publication: Path
    pseudo_key: str | None
    #: Folder of the annual reports (`rapport-AAAA.html`, `rapport-AAAA.pdf`).
    rapports: Path = DATA_DIR / "rapports"
    #: The Dagster instance (`DAGSTER_HOME`) where runs, materialisations and check results are
    #: recorded; `None`: the folder `dagster/` beside the warehouse (see `instance_home`).
    dagster_home: Path | None = None

    @property
    def instance_home(self) -> Path:
        """The persistent Dagster instance's folder: `dagster_home` if given (from the environment:
        `DAGSTER_HOME`, else `data/dagster`), else `dagster/` beside the warehouse file."""
        return self.dagster_home if self.dagster_home is not None else self.warehouse.parent / "dagster"

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults < environment variables < explicit overrides (CLI options)."""
        values = {
            "landing": Path(os.environ.get("OBSERVATOIRE_LANDING", DATA_DIR / "landing")),
            "warehouse": Path(os.environ.get("OBSERVATOIRE_WAREHOUSE", DATA_DIR / "warehouse" / "observatoire.duckdb")),
            "publication": Path(
                os.environ.get("OBSERVATOIRE_PUBLICATION", DATA_DIR / "publication" / "observatoire.duckdb")
            ),
            "pseudo_key": os.environ.get("OBSERVATOIRE_PSEUDO_KEY"),
            "rapports": Path(os.environ.get("OBSERVATOIRE_RAPPORTS", DATA_DIR / "rapports")),
            "dagster_home": Path(os.environ.get("DAGSTER_HOME") or DATA_DIR / "dagster"),
        }
        for key, value in overrides.items():
            if value is not None:
                values[key] = Path(value) if key != "pseudo_key" else value
        return cls(**values)  # type: ignore[arg-type]


def last_complete_year() -> int:
    """Last calendar year that is over (the generator writes 2015 to this year)."""
    from datetime import date

    return date.today().year - 1
