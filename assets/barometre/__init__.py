"""Layer `barometre`: the State's published Logement d'abord series (Baromètre des résultats de
l'action publique), read from the files dropped in `<landing>/barometre/` (both published
layouts: the 2017–2022 etalab files and the 2023– IND-295 DITP files) into the DuckDB warehouse:
`raw.barometre` (rows as published), `staging.barometre_mensuel` (one cumulative value per
territory and month) and `staging.barometre_annuel` (one value per territory and year), every
file logged in `meta.ingest_log`; the IND-295 targets in `staging.barometre_objectifs` (initial,
current and target values, target date, progress rate per territory) and `marts.objectifs`
(published as `publication.objectifs`).

- `reading.py`: one file → encoding, separator, layout, kept / quarantined / skipped rows;
- `loader.py`: the incremental, idempotent load of the folder;
- `assets.py`: the assets (SQL in `sql/barometre/`);
- `checks.py`: the asset checks that report the published files' traps (months coded 0, missing
  départements, cumulative series going down, sums differing from the national value).

Exposes the lists collected by `pipelines.definitions`.
"""

from assets.barometre.assets import ASSETS
from assets.barometre.checks import CHECKS

SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS"]
