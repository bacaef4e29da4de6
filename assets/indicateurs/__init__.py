"""Layer `indicateurs`: every indicator of the catalogue (docs: /work/shared/spec/indicators.md)
computed in SQL into `marts.indicateurs`.

- `assets.py`: one asset per SQL model (`sql/intermediate/*.sql` record-level models with their
  periods and territories, `sql/marts/*.sql` one mart per section and their union);
- `checks.py`: blocking checks of `marts.indicateurs` (catalogue ↔ codes, unique key, rates in
  [0, 100], valeur null iff absent).

The catalogue is data: `data/config/indicateurs.csv`, loaded as `marts.catalogue_indicateurs`.
"""

from assets.indicateurs.assets import ASSETS
from assets.indicateurs.checks import CHECKS

SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS"]
