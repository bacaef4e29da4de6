"""Asset checks of the ingestion: a landing file accepted without any data row is flagged
(non-blocking: an export may truly be empty, a mistyped name or a failed extraction too)."""

from __future__ import annotations

import dagster as dg

from assets.ingest.loader import EMPTY_FILE_NOTE, ensure_meta
from pipelines.resources import WarehouseResource


def _empty_files_check(source: str, key: list[str]):
    @dg.asset_check(asset=dg.AssetKey(key), name="fichiers_sans_donnees", blocking=False,
                    description=f"Fichiers {source} acceptés sans aucune ligne de données (en-tête seul).")
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.connect() as conn:
            ensure_meta(conn)
            names = [n for (n,) in conn.execute(
                "select file_name from meta.ingest_log where source = ? and status = 'loaded' and error = ? "
                "order by file_name", [source, EMPTY_FILE_NOTE]).fetchall()]
        listed = "\n".join(f"- {n}" for n in names[:50]) or "aucun"
        return dg.AssetCheckResult(
            passed=not names,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"fichiers sans ligne de données": len(names), "fichiers": dg.MetadataValue.md(listed)},
        )

    return _check


CHECKS = [
    _empty_files_check("siao", ["raw", "siao"]),
    _empty_files_check("sne", ["raw", "sne_attributions"]),
    _empty_files_check("ndls", ["raw", "ndls"]),
    _empty_files_check("offre", ["raw", "offre"]),
]
