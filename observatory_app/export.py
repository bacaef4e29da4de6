"""Downloads for Excel users: CSV with `;`, decimal comma and a UTF-8 BOM; XLSX via xlsxwriter."""

from __future__ import annotations

import io

import polars as pl


def csv_excel(df: pl.DataFrame) -> bytes:
    """`;`-separated CSV, decimal comma, UTF-8 with BOM (opens correctly in a French Excel)."""
    texte = df.write_csv(separator=";", decimal_comma=True)
    return "\ufeff".encode("utf-8") + texte.encode("utf-8")


def xlsx(df: pl.DataFrame, feuille: str = "donnees") -> bytes:
    tampon = io.BytesIO()
    df.write_excel(tampon, worksheet=feuille[:31], autofit=True)
    return tampon.getvalue()
