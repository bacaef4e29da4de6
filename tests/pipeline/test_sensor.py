"""The landing sensor asks for a run when files arrive or change, and not otherwise."""

from __future__ import annotations

import dagster as dg

from assets.ingest.sensors import landing_sensor
from pipelines.resources import LandingResource


def _evaluate(path, cursor=None):
    context = dg.build_sensor_context(cursor=cursor, resources={"landing": LandingResource(path=str(path))})
    return landing_sensor(context), context.cursor


def test_sensor_runs_when_files_arrive(tmp_path):
    result, cursor = _evaluate(tmp_path)
    assert isinstance(result, dg.SkipReason) and "aucun fichier" in result.skip_message
    (tmp_path / "sne").mkdir()
    (tmp_path / "sne" / "sne_attributions_2024.csv").write_text("numero_unique\n", encoding="utf-8")
    result, cursor = _evaluate(tmp_path, cursor)
    assert isinstance(result, dg.RunRequest) and result.tags["fichiers"] == "1"
    again, same = _evaluate(tmp_path, cursor)
    assert isinstance(again, dg.SkipReason) and same == cursor
    (tmp_path / "sne" / "sne_attributions_2024.csv").write_text("numero_unique\nX\n", encoding="utf-8")
    changed, new_cursor = _evaluate(tmp_path, cursor)
    assert isinstance(changed, dg.RunRequest) and new_cursor != cursor
