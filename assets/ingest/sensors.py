"""Sensor on the landing folder: a run starts when files arrive or change."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg

from pipelines.config import SOURCES
from pipelines.resources import LandingResource

full_pipeline = dg.define_asset_job(
    "pipeline_complet",
    # The annual report (group `rapport`) is partitioned by year: it runs on its own schedule.
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("rapport"),
    description="Ingère ce qui est nouveau dans le dossier de dépôt et reconstruit tout ce qui en dépend.",
)


def landing_fingerprint(root: Path) -> tuple[str, int]:
    """A digest of the landing folder's listing (path, size, modification time) and its file count."""
    digest = hashlib.sha256()
    n = 0
    for source in SOURCES:
        folder = root / source
        if not folder.exists():
            continue
        for path in sorted(folder.glob("*.csv")):
            stat = path.stat()
            digest.update(f"{source}/{path.name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
            n += 1
    return digest.hexdigest(), n


@dg.sensor(job=full_pipeline, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def landing_sensor(context: dg.SensorEvaluationContext, landing: LandingResource):
    """Starts `pipeline_complet` when the landing folder's files change (new, replaced or removed)."""
    fingerprint, n = landing_fingerprint(Path(landing.path))
    if n == 0:
        return dg.SkipReason(f"aucun fichier dans {landing.path}")
    if fingerprint == context.cursor:
        return dg.SkipReason("aucun fichier nouveau ou modifié")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint, tags={"declencheur": "depot", "fichiers": str(n)})
