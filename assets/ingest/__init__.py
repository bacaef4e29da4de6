"""Layer `ingest`: see the modules of this package. Exposes the lists collected by pipelines.definitions."""

ASSETS: list = []
CHECKS: list = []
SENSORS: list = []
SCHEDULES: list = []
JOBS: list = []
