"""Layer `ingest`: landing files → raw tables, quarantine and ingest log → staging models.

The Dagster definitions (`ASSETS`, `CHECKS`, `SENSORS`, `JOBS`) are imported on first use only:
`observatoire check` and the app import the reader and the contracts of this package without
paying for Dagster (≈ 0.7 s of imports).
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "ASSETS":
        from assets.ingest.assets import ASSETS

        return ASSETS
    if name == "CHECKS":
        from assets.ingest.checks import CHECKS

        return CHECKS
    if name in ("SENSORS", "JOBS"):
        from assets.ingest.sensors import full_pipeline, landing_sensor

        return [landing_sensor] if name == "SENSORS" else [full_pipeline]
    if name == "SCHEDULES":
        return []
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
