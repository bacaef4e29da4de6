"""Downloads for Excel users: CSV with `;`, decimal comma and a UTF-8 BOM; XLSX via xlsxwriter.

Values keep the unit's decimals (counts and days: whole numbers; rates: one decimal, as shown in
the app); text cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading
quote (OWASP CSV injection rule) so that a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import io

import polars as pl

from observatoire_commun import format as fr

DEBUTS_FORMULE = ("=", "+", "-", "@", "\t", "\r")
COMPTES = ("numerateur", "denominateur")  # always whole numbers


def neutraliser(texte: str | None) -> str | None:
    """`=1+1` → `'=1+1`; other text unchanged."""
    if texte and texte.startswith(DEBUTS_FORMULE):
        return "'" + texte
    return texte


def _textes_neutralises(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col(c).map_elements(neutraliser, return_dtype=pl.String) for c, t in df.schema.items() if t == pl.String
    )


def _decimales(df: pl.DataFrame) -> list[int]:
    unites = df["unite"].to_list() if "unite" in df.columns else [None] * df.height
    return [fr.decimales_pour(u) for u in unites]


def csv_excel(df: pl.DataFrame) -> bytes:
    """`;`-separated CSV, decimal comma, UTF-8 with BOM (opens correctly in a French Excel).

    With a `unite` column, `valeur` is written with its unit's decimals (`29`, `5,5`, never `29,0`
    or 15 decimals); numerators and denominators as integers."""
    df = _textes_neutralises(df)
    if "valeur" in df.columns and "unite" in df.columns:
        df = df.with_columns(
            pl.Series(
                "valeur",
                [None if v is None else f"{round(v, d):.{d}f}".replace(".", ",") for v, d in zip(df["valeur"].to_list(), _decimales(df))],
                dtype=pl.String,
            )
        )
    df = df.with_columns(pl.col(c).round(0).cast(pl.Int64) for c in COMPTES if c in df.columns)
    texte = df.write_csv(separator=";", decimal_comma=True)
    return "\ufeff".encode("utf-8") + texte.encode("utf-8")


def xlsx(df: pl.DataFrame, feuille: str = "donnees") -> bytes:
    """One sheet; counts formatted `# ##0` (never « 100,000 »), rates `0,0`, per row's unit."""
    import xlsxwriter

    tampon = io.BytesIO()
    classeur = xlsxwriter.Workbook(tampon, {"in_memory": True})
    page = classeur.add_worksheet(feuille[:31])
    entier, decimal, gras = classeur.add_format({"num_format": "#,##0"}), classeur.add_format({"num_format": "#,##0.0"}), classeur.add_format({"bold": True})
    decimales = _decimales(df)
    for j, nom in enumerate(df.columns):
        page.write(0, j, nom, gras)
        page.set_column(j, j, max(10, min(40, len(nom) + 2)))
    for i, ligne in enumerate(df.iter_rows(), start=1):
        for j, (nom, v) in enumerate(zip(df.columns, ligne)):
            if v is None:
                page.write_blank(i, j, None)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                format_ = entier if nom in COMPTES or (nom == "valeur" and decimales[i - 1] == 0) else decimal
                if nom not in COMPTES and nom != "valeur" and float(v).is_integer():
                    format_ = entier
                page.write_number(i, j, round(v, 0 if format_ is entier else 1) if nom in ("valeur", *COMPTES) else v, format_)
            else:
                page.write_string(i, j, str(v))  # strings are never formulas in xlsxwriter's write_string
    classeur.close()
    return tampon.getvalue()
