"""Layer `ingest`: landing files → raw tables, quarantine and ingest log → staging models."""

from assets.ingest.assets import ASSETS
from assets.ingest.sensors import full_pipeline, landing_sensor

CHECKS: list = []
SENSORS: list = [landing_sensor]
SCHEDULES: list = []
JOBS: list = [full_pipeline]
