"""Layer `diffusion`: the researchers' publication file (asset `publication/fichier`).

- `resources.py`: `PublicationFileResource(path)`, the published DuckDB file and its Parquet folder;
- `fichier.py`: the build (new file, comments from `data/config/dictionnaire.csv`, verification,
  atomic swap; Parquet into a temporary folder, swapped), SQL in `sql/diffusion/`;
- `assets.py`: the asset `publication/fichier`;
- `checks.py`: its blocking checks, on the published file opened read-only.

Example researcher queries: `sql/diffusion/exemples/`.
"""

from assets.diffusion.assets import ASSETS
from assets.diffusion.checks import CHECKS
from assets.diffusion.resources import PublicationFileResource

SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS", "PublicationFileResource"]
