"""Layer `publication`: the disclosure-controlled tables (DuckDB schema `publication`).

- `secret.py`: the disclosure control (*secret statistique*) from `marts.indicateurs` to
  `publication.indicateurs`, rules in `data/config/secret_statistique.yaml`, SQL in `sql/publication/`;
- `assets.py`: the asset `publication/indicateurs`;
- `parcours.py`: the asset `publication/parcours_siao` (the SIAO pathway of the Sankey, same rules);
- `qualite.py`: the Great Expectations suites on the published tables, results in
  `publication.qualite_controles`;
- `checks.py`: the asset checks (disclosure, blocking; Great Expectations).

Exposes the lists collected by `pipelines.definitions`.
"""

from assets.publication.assets import ASSETS as _ASSETS
from assets.publication.checks import CHECKS as _CHECKS
from assets.publication.parcours import parcours_siao, parcours_siao_petits_effectifs

ASSETS = [*_ASSETS, parcours_siao]
CHECKS = [*_CHECKS, parcours_siao_petits_effectifs]

SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS"]
