"""The Streamlit observatory: `app.py` (router), `pages/`, `data.py` (cached read-only queries of
the publication file), `charts.py` (plotly figures), `format.py` (French numbers), `export.py`."""
