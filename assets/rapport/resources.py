"""The resource of the layer `rapport`: the folder where the annual reports are written."""

from __future__ import annotations

from pathlib import Path

import dagster as dg


class RapportsResource(dg.ConfigurableResource):
    """The reports folder (`data/rapports/` or `OBSERVATOIRE_RAPPORTS`): `rapport-AAAA.html` and
    `rapport-AAAA.pdf`, one pair per year."""

    path: str

    @property
    def folder(self) -> Path:
        return Path(self.path)
