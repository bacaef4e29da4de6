"""Layer `reference`: real public reference data (COG 2026 communes, EPCI, départements,
régions, populations) and the configuration tables (Logement d'abord territories, Paris/Lyon/
Marseille arrondissements, housing situations), loaded into the DuckDB schema `reference`.

- `assets.py`: one asset per table, each running `sql/reference/<table>.sql`;
- `checks.py`: the asset checks (blocking where a failure would publish a wrong number).

The list of Logement d'abord territories is read from `data/config/territoires_lda.csv`; the op
config `path` of `territoires_lda`, or else the environment variable
`OBSERVATOIRE_TERRITOIRES_LDA`, points to another file.

Exposes the lists collected by `pipelines.definitions`.
"""

from assets.reference.assets import ASSETS
from assets.reference.checks import CHECKS

SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS"]
