"""The resource of the layer `diffusion`: where the researchers' publication file is written."""

from __future__ import annotations

from pathlib import Path

import dagster as dg


class PublicationFileResource(dg.ConfigurableResource):
    """The published DuckDB file (`data/publication/observatoire.duckdb` or
    `OBSERVATOIRE_PUBLICATION`); its Parquet copies go to `<its folder>/parquet/<table>.parquet`.

    `donnees_synthetiques`: whether the data are the generator's synthetic demonstration data;
    None (default) detects it from a `parametres.json` at the landing folder's root (written by
    `observatoire simulate`). Set it to False or True to override the detection.
    """

    path: str
    donnees_synthetiques: bool | None = None

    @property
    def file(self) -> Path:
        return Path(self.path)

    @property
    def parquet_dir(self) -> Path:
        return self.file.parent / "parquet"

    def synthetic(self, landing: Path | str | None) -> bool:
        if self.donnees_synthetiques is not None:
            return self.donnees_synthetiques
        return landing is not None and (Path(landing) / "parametres.json").is_file()
