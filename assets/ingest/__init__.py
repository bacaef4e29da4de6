"""Layer `ingest`: landing files → raw tables, quarantine and ingest log → staging models."""

from assets.ingest.assets import ASSETS
from assets.ingest.checks import CHECKS
from assets.ingest.sensors import full_pipeline, landing_sensor

SENSORS: list = [landing_sensor]
SCHEDULES: list = []
JOBS: list = [full_pipeline]
