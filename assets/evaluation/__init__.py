"""Layer `evaluation` (group `evaluation`, schema `marts`): the observatory's figures beside the
published Baromètre series, and section F of the catalogue (docs: /work/shared/spec/indicators.md),
the evaluation of the Logement d'abord territories.

- `assets.py`: `marts/comparaison_barometre` (ATTR_SD_PERS beside the Baromètre, with the gap),
  `marts/series_publiees` (the Baromètre series in the columns of `publication.series_publiees`),
  `marts/evaluation_lda` (difference in differences against the rest of France with a bootstrap
  interval over départements) and `marts/evaluation_methode` (the French method note: descriptive,
  not causal); SQL in `sql/evaluation/`;
- `bootstrap.py`: the difference in differences and its bootstrap (numpy/polars);
- `checks.py`: every LDA territory evaluated for every year with data; unique keys.

Exposes the lists collected by `pipelines.definitions`.
"""

from assets.evaluation.assets import ASSETS
from assets.evaluation.checks import CHECKS

SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []

__all__ = ["ASSETS", "CHECKS", "SENSORS", "SCHEDULES", "JOBS"]
