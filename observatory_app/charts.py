"""Pure functions returning plotly figures (no Streamlit): testable on their own.

Every figure: French separators (`separators=", "`), years as a category axis, and a note
giving source, period and « Données synthétiques de démonstration » when the data are synthetic.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.colors import sample_colorscale
import polars as pl

from observatoire_commun.presentation import MENTION_SYNTHETIQUE, SOURCES, libelle_source, note  # noqa: F401
from observatoire_commun import format as fr

# Source labels, the synthetic-data mention and the chart note: one wording with the report.
def _mise_en_page(fig: go.Figure, titre: str, texte_note: str, unite: str | None) -> go.Figure:
    fig.update_layout(
        title={"text": f"{titre}<br><sup>{texte_note}</sup>"},
        separators=", ",
        xaxis={"type": "category", "title": "Année"},
        # « 60 000 », « 12,5 » (never plotly's SI « 60k »)
        yaxis={"title": unite or "", "rangemode": "tozero", "tickformat": ",~f"},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 90},
        hovermode="x unified",
    )
    return fig


def _periode(df: pl.DataFrame) -> str:
    periodes = df.filter(pl.col("statut") == "ok")["periode"] if "statut" in df.columns else df["periode"]
    if periodes.len() == 0:
        return "—"
    return f"{periodes.min()}–{periodes.max()}"


def series_temporelles(
    df: pl.DataFrame, titre: str, unite: str | None, source: str | None, synthetique: bool
) -> go.Figure:
    """One line per territory (`territoire_libelle`) of `valeur` by `periode`.

    Secret and absent cells are gaps (never drawn as 0); secret points are listed in the hover.
    Years after the last one with a value in any series (a grid year no source covers yet) are left out.
    """
    fig = go.Figure()
    derniere = df.filter(pl.col("statut") != "absent")["periode"].max()
    if derniere is not None:
        df = df.filter(pl.col("periode") <= derniere)
    for libelle in df["territoire_libelle"].unique(maintain_order=True).to_list():
        sous = df.filter(pl.col("territoire_libelle") == libelle).sort("periode")
        valeurs = [v if s == "ok" else None for v, s in zip(sous["valeur"].to_list(), sous["statut"].to_list())]
        fig.add_trace(
            go.Scatter(
                x=sous["periode"].to_list(),
                y=valeurs,
                mode="lines+markers",
                name=libelle,
                connectgaps=False,
                customdata=sous["statut"].to_list(),
                hovertemplate="%{y:,.1f} (%{customdata})<extra>" + libelle + "</extra>",
            )
        )
    return _mise_en_page(fig, titre, note(source, _periode(df), synthetique), unite)


def series_comptes(
    df: pl.DataFrame, titre: str, unite: str | None, source: str | None, synthetique: bool, a_part: tuple[str, ...]
) -> go.Figure:
    """Counts of territories of very different sizes: two panels side by side, each with its own
    linear axis from 0. Left, every series except `a_part` (the territory and its peers' median,
    of the same size); right, the `a_part` series (France). On one shared axis the territory's
    curve would be flat at the bottom (e.g. 57 against 1 586). Secret and absent cells are gaps."""
    from plotly.subplots import make_subplots

    derniere = df.filter(pl.col("statut") != "absent")["periode"].max()
    if derniere is not None:
        df = df.filter(pl.col("periode") <= derniere)
    libelles = df["territoire_libelle"].unique(maintain_order=True).to_list()
    gauche = [lib for lib in libelles if lib not in a_part]
    droite = [lib for lib in libelles if lib in a_part]
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=False, horizontal_spacing=0.12,
        subplot_titles=(" et ".join(gauche) if len(gauche) < 3 else "Territoire et pairs", " et ".join(droite) or "—"),
    )
    for colonne, groupe in ((1, gauche), (2, droite)):
        for libelle in groupe:
            sous = df.filter(pl.col("territoire_libelle") == libelle).sort("periode")
            valeurs = [v if s == "ok" else None for v, s in zip(sous["valeur"].to_list(), sous["statut"].to_list())]
            fig.add_trace(
                go.Scatter(
                    x=sous["periode"].to_list(), y=valeurs, mode="lines+markers", name=libelle,
                    connectgaps=False, customdata=sous["statut"].to_list(),
                    hovertemplate="%{y:,.0f} (%{customdata})<extra>" + libelle + "</extra>",
                ),
                row=1, col=colonne,
            )
    fig = _mise_en_page(fig, titre, note(source, _periode(df), synthetique), unite)
    fig.update_layout(
        xaxis2={"type": "category", "title": "Année"},
        yaxis2={"rangemode": "tozero", "tickformat": ",~f"},
        margin={"t": 120},
    )
    return fig


def classement_barres(
    df: pl.DataFrame, titre: str, unite: str | None, source: str | None, annee: str, synthetique: bool
) -> go.Figure:
    """Horizontal bars of `valeur` by `territoire_libelle` (published values only)."""
    ok = df.filter(pl.col("statut") == "ok").sort("valeur")
    fig = go.Figure(go.Bar(x=ok["valeur"].to_list(), y=ok["territoire_libelle"].to_list(), orientation="h"))
    fig.update_layout(
        title={"text": f"{titre}<br><sup>{note(source, annee, synthetique)}</sup>"},
        separators=", ",
        xaxis={"title": unite or "", "tickformat": ",~f"},
        yaxis={"type": "category"},
        height=max(400, 22 * ok.height + 120),
        margin={"t": 90},
    )
    return fig


def ndls_evolutions(df: pl.DataFrame, territoire: str, synthetique: bool) -> go.Figure:
    """Bars per edition of one territory: the constant-perimeter change (NDLS_EVOL_PC, in %).

    Raw totals (NDLS_PERS) of two editions cover different perimeters and are never drawn side by
    side (indicators.md §D). `df` is long (indicateur, periode, valeur, statut); editions without a
    published change (first edition, secret, absent) are gaps, never 0."""
    fig = go.Figure()
    editions = sorted(df.filter(pl.col("statut") != "absent")["periode"].unique().to_list())
    sous = df.filter(pl.col("indicateur") == "NDLS_EVOL_PC")
    cellules = {p: (v, s) for p, v, s in sous.select("periode", "valeur", "statut").iter_rows()}
    valeurs = [cellules.get(p, (None, "absent")) for p in editions]
    nom = "Évolution à périmètre constant"
    fig.add_trace(
        go.Bar(
            x=editions,
            y=[v if s == "ok" else None for v, s in valeurs],
            name=nom,
            customdata=[s for _, s in valeurs],
            hovertemplate="%{y:+,.1f} % (%{customdata})<extra>" + nom + "</extra>",
        )
    )
    titre = f"Évolution à périmètre constant par rapport à l'édition précédente — {territoire}"
    fig = _mise_en_page(fig, titre, note("ndls", _periode(sous) if sous.height else "—", synthetique), "%")
    fig.update_layout(
        xaxis={"type": "category", "title": "Édition"},
        yaxis={"rangemode": "normal", "zeroline": True, "ticksuffix": " %"},
        showlegend=False,
    )
    return fig


COULEUR_SECRET = "#8c8c8c"  # gris : secret statistique
COULEUR_ABSENT = "#e6e6e6"  # gris clair : aucune source
COULEUR_NON_LOCALISABLE = "#c9c3b8"  # beige gris : connu seulement à un niveau plus large
NOMS_OUTRE_MER = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}


def _points(geojson: dict) -> list[list[float]]:
    """Every [lon, lat] of every feature's geometry (any nesting: Polygon, MultiPolygon)."""
    points: list[list[float]] = []

    def parcourir(c):
        if c and isinstance(c[0], (int, float)):
            points.append(c)
        else:
            for x in c:
                parcourir(x)

    for f in geojson["features"]:
        parcourir(f["geometry"]["coordinates"])
    return points


ECHELLE_COULEURS = [[0, "#c6dbef"], [1, "#08306b"]]  # no near-white: kept apart from « — »
COS_LAT = math.cos(math.radians(46.5))  # x = longitude × cos(46,5°): France's proportions on a flat plot


def _anneaux(geometrie: dict) -> list[list[list[float]]]:
    """The rings of a Polygon or MultiPolygon."""
    if geometrie["type"] == "Polygon":
        return geometrie["coordinates"]
    return [anneau for polygone in geometrie["coordinates"] for anneau in polygone]


def _forme(features: list[dict]) -> tuple[list[float | None], list[float | None]]:
    """x, y of every ring of the features, rings separated by None (one SVG path per ring)."""
    x: list[float | None] = []
    y: list[float | None] = []
    for f in features:
        for anneau in _anneaux(f["geometry"]):
            x += [round(p[0] * COS_LAT, 4) for p in anneau] + [None]
            y += [p[1] for p in anneau] + [None]
    return x, y


#: Inset boxes of the overseas départements, west of Brittany (lon min, lon max, lat min, lat max),
#: top to bottom in the order of NOMS_OUTRE_MER.
ENCARTS = [(-10.2, -6.9, 49.25 - 1.85 * i, 50.95 - 1.85 * i) for i in range(5)]


def _encart(geojson: dict, boite: tuple[float, float, float, float]) -> dict:
    """`geojson` moved and scaled into `boite`, shape kept (a degree of longitude is worth cos(lat)
    of a degree of latitude, at the source as in the box)."""
    points = _points(geojson)
    lon0, lon1 = min(p[0] for p in points), max(p[0] for p in points)
    lat0, lat1 = min(p[1] for p in points), max(p[1] for p in points)
    b_lon0, b_lon1, b_lat0, b_lat1 = boite
    src = math.cos(math.radians((lat0 + lat1) / 2))
    dst = math.cos(math.radians((b_lat0 + b_lat1) / 2))
    largeur = max((lon1 - lon0) * src, 1e-6)  # in degrees of latitude
    hauteur = max(lat1 - lat0, 1e-6)
    echelle = 0.9 * min((b_lon1 - b_lon0) * dst / largeur, (b_lat1 - b_lat0) / hauteur)
    c_lon, c_lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    b_lon, b_lat = (b_lon0 + b_lon1) / 2, (b_lat0 + b_lat1) / 2

    def deplacer(c):
        if c and isinstance(c[0], (int, float)):
            return [round(b_lon + (c[0] - c_lon) * echelle * src / dst, 4), round(b_lat + (c[1] - c_lat) * echelle, 4)]
        return [deplacer(x) for x in c]

    return {
        "type": "FeatureCollection",
        "features": [
            {**f, "geometry": {**f["geometry"], "coordinates": deplacer(f["geometry"]["coordinates"])}}
            for f in geojson["features"]
        ],
    }


def carte_departements(
    df: pl.DataFrame,
    geo_metropole: dict,
    geo_outre_mer: dict[str, dict],
    titre: str,
    unite: str | None,
    source: str | None,
    annee: str,
    synthetique: bool,
) -> go.Figure:
    """Choropleth of one indicator by département, drawn as SVG shapes (one filled path per
    département, no WebGL map: a MapLibre map costs the browser about a second to draw and as much
    to tear down when the user leaves the page): metropolitan France, and the overseas départements
    (`geo_outre_mer`: code → GeoJSON) moved into framed insets west of Brittany, as official French
    maps do. Longitude × cos(46,5°) against latitude keeps France's proportions. Nothing is fetched
    from the internet.

    `df`: territoire_code, territoire_libelle, valeur, statut. Secret cells are grey (hover
    « s (secret statistique) », no value), absent ones light grey (« — »); never 0. Each shape's
    trace carries `meta` = {code, statut, valeur}."""
    outre_mer = [c for c in NOMS_OUTRE_MER if c in geo_outre_mer]
    encarts = {c: _encart(geo_outre_mer[c], ENCARTS[i]) for i, c in enumerate(outre_mer)}
    geojson = {
        "type": "FeatureCollection",
        "features": geo_metropole["features"] + [f for c in outre_mer for f in encarts[c]["features"]],
    }
    fig = go.Figure()
    ok = df.filter(pl.col("statut") == "ok")["valeur"].drop_nulls()
    cmin, cmax = (ok.min(), ok.max()) if ok.len() else (0.0, 1.0)
    par_code: dict[str, list[dict]] = {}
    for f in geojson["features"]:
        par_code.setdefault(f["properties"]["code"], []).append(f)
    for code, libelle, valeur, statut in df.select("territoire_code", "territoire_libelle", "valeur", "statut").iter_rows():
        if code not in par_code:
            continue
        if statut == "ok" and valeur is not None:
            position = (valeur - cmin) / (cmax - cmin) if cmax > cmin else 0.5
            couleur = sample_colorscale(ECHELLE_COULEURS, [position])[0]
            texte = fr.valeur(valeur, "ok", unite)
        elif statut == "secret":
            couleur, texte = COULEUR_SECRET, f"{fr.SECRET} (secret statistique)"
        elif statut == "non_localisable":
            couleur, texte = COULEUR_NON_LOCALISABLE, f"{fr.NON_LOCALISABLE} (non localisable à ce niveau)"
        else:
            couleur, texte, statut = COULEUR_ABSENT, fr.ABSENT, "absent"
        x, y = _forme(par_code[code])
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines", fill="toself", fillcolor=couleur, line={"color": "white", "width": 0.6},
            hoveron="fills", hoverinfo="text", text=f"{libelle} ({code})<br>{texte}", name=code,
            meta={"code": code, "statut": statut, "valeur": valeur if statut == "ok" else None}, showlegend=False,
        ))
    if outre_mer:
        x, y = [], []
        for lon0, lon1, lat0, lat1 in ENCARTS[: len(outre_mer)]:
            x += [lon0 * COS_LAT, lon1 * COS_LAT, lon1 * COS_LAT, lon0 * COS_LAT, lon0 * COS_LAT, None]
            y += [lat0, lat0, lat1, lat1, lat0, None]
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": "#9e9e9e", "width": 1}, hoverinfo="skip",
                                 name="Encarts d'outre-mer", showlegend=False))
    if ok.len():  # the colour scale, drawn by an invisible point
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False, name="Échelle",
            marker={"colorscale": ECHELLE_COULEURS, "cmin": cmin, "cmax": cmax, "color": [cmin], "showscale": True,
                    "colorbar": {"title": {"text": unite or ""}, "separatethousands": True, "len": 0.75,
                                 "tickformat": ",~f"}},
        ))
    fig.update_layout(
        title={"text": f"{titre}, {annee}<br><sup>{note(source, annee, synthetique)}</sup>"},
        separators=", ",
        xaxis={"visible": False, "fixedrange": True},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1, "fixedrange": True},
        plot_bgcolor="white",
        height=720,
        margin={"t": 90, "l": 10, "r": 10, "b": 10},
        showlegend=False,
        hovermode="closest",
    )
    return fig


ETAPES = {"situation_orientation": 0, "orientation_sortie": 1}
COLONNES_SANKEY = ("Situation à la demande", "Orientation", "Sortie")


def sankey_parcours(df: pl.DataFrame, territoire: str, annee: str, synthetique: bool) -> go.Figure:
    """Sankey of the SIAO pathway (publication.parcours_siao of one territory and year): situation
    at the request → orientation → exit. Only published flows are drawn; the secret ones are left
    out (never drawn as 0) and their number is said under the title. Node labels give the published
    totals (the margins `Ensemble`), « s » when secret."""
    flux = df.filter((pl.col("origine") != "Ensemble") & (pl.col("destination") != "Ensemble"))
    marges = df.filter((pl.col("origine") == "Ensemble") ^ (pl.col("destination") == "Ensemble"))
    noeuds: dict[tuple[int, str], int] = {}

    def noeud(colonne: int, nom: str) -> int:
        cle = (colonne, nom)
        if cle not in noeuds:
            noeuds[cle] = len(noeuds)
        return noeuds[cle]

    publies = flux.filter(pl.col("statut") == "ok")
    # a node without any published flow would be drawn in the first column: it is named in the note instead
    ordonnes = publies.sort("etape", "origine_ordre", "destination_ordre", descending=[True, False, False])
    for e, o, d in ordonnes.select("etape", "origine", "destination").iter_rows():
        noeud(ETAPES[e], o)
        noeud(ETAPES[e] + 1, d)
    totaux: dict[tuple[int, str], str] = {}
    for e, o, d, n, s in marges.select("etape", "origine", "destination", "n", "statut").iter_rows():
        cle = (ETAPES[e], o) if d == "Ensemble" else (ETAPES[e] + 1, d)
        totaux[cle] = fr.SECRET if s == "secret" else fr.nombre(n)
    secrets = flux.filter(pl.col("statut") == "secret").height
    cles = sorted(noeuds, key=noeuds.get)
    caches = sorted(
        {(c, n) for c, n in totaux if (c, n) not in noeuds and n != "Ensemble"}, key=lambda cle: (cle[0], cle[1])
    )
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [f"{nom} ({totaux.get(cle, fr.ABSENT)})" for cle in cles for nom in [cle[1]]],
                "pad": 12,
                "thickness": 14,
                "color": [("#4c72b0", "#dd8452", "#55a868")[cle[0]] for cle in cles],
                "hovertemplate": "%{label}<extra></extra>",
            },
            link={
                "source": [noeuds[(ETAPES[e], o)] for e, o in publies.select("etape", "origine").iter_rows()],
                "target": [noeuds[(ETAPES[e] + 1, d)] for e, d in publies.select("etape", "destination").iter_rows()],
                "value": publies["n"].to_list(),
                "customdata": [fr.nombre(n) for n in publies["n"].to_list()],
                "hovertemplate": "%{source.label} → %{target.label} : %{customdata} demandes<extra></extra>",
                "color": "rgba(120, 120, 120, 0.25)",
            },
            valueformat=",d",
        )
    )
    mention = f" · {secrets} flux sous secret statistique non tracés" if secrets else ""
    if caches:
        mention += " · sans flux publié : " + ", ".join(f"{n} ({totaux[(c, n)]})" for c, n in caches)
    fig.update_layout(
        title={"text": f"Parcours des demandes d'hébergement {annee} — {territoire}"
                       f"<br><sup>{note('siao', annee, synthetique)}{mention}</sup>"},
        separators=", ",
        height=560,
        margin={"t": 110, "l": 10, "r": 10, "b": 20},
        annotations=[
            {"x": x, "y": 1.0, "xref": "paper", "yref": "paper", "text": f"<b>{t}</b>", "showarrow": False,
             "xanchor": a, "yanchor": "bottom"}
            for x, t, a in zip((0, 0.5, 1), COLONNES_SANKEY, ("left", "center", "right"))
        ],
    )
    return fig


def evaluation_intervalles(df: pl.DataFrame, titre: str, unite: str, synthetique: bool) -> go.Figure:
    """Difference in differences by year with its 95 % interval (error bars), zero line drawn.
    `df`: periode, did, ic_bas, ic_haut, statut (secret rows are left out)."""
    ok = df.filter((pl.col("statut") == "ok") & pl.col("did").is_not_null()).sort("periode")
    fig = go.Figure(
        go.Scatter(
            x=ok["periode"].to_list(),
            y=ok["did"].to_list(),
            mode="markers",
            marker={"size": 9},
            name="Différence de différences",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (ok["ic_haut"] - ok["did"]).to_list(),
                "arrayminus": (ok["did"] - ok["ic_bas"]).to_list(),
            },
            customdata=[[fr.nombre(b, 2), fr.nombre(h, 2)] for b, h in zip(ok["ic_bas"].to_list(), ok["ic_haut"].to_list())],
            hovertemplate="%{x} : %{y:,.2f} [IC 95 % : %{customdata[0]} ; %{customdata[1]}]<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": "#888", "dash": "dot"})
    # a half-width chart: the note goes on two short lines
    texte_note = note("sne", _periode(ok.with_columns(pl.lit("ok").alias("statut"))) if ok.height else "—", synthetique)
    fig = _mise_en_page(fig, titre, texte_note.replace(" · Données", "<br>Données"), unite)
    fig.update_layout(yaxis={"rangemode": "normal", "title": unite, "tickformat": ",~f"}, showlegend=False,
                      hovermode="closest", margin={"t": 110})
    return fig
