"""Observatoire du Logement d'abord: Streamlit entry point (router).

Start: `streamlit run observatory_app/app.py --server.port 8501 --server.headless true`
(the publication file comes from `OBSERVATOIRE_PUBLICATION`, else the default path).
"""

from __future__ import annotations

import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
if str(RACINE) not in sys.path:
    sys.path.insert(0, str(RACINE))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="Observatoire du Logement d'abord", page_icon=":material/home:", layout="wide")

PAGES = Path(__file__).resolve().parent / "pages"

# The départements outlines (read once per process) are loaded while the first page renders.
from observatory_app import data  # noqa: E402

data.prechauffer()

navigation = st.navigation(
    {
        "Observatoire": [
            st.Page(PAGES / "vue_nationale.py", title="Vue nationale", icon=":material/map:", default=True),
            st.Page(PAGES / "fiche_territoire.py", title="Fiche territoire", icon=":material/location_on:"),
            st.Page(PAGES / "classement.py", title="Classement des territoires", icon=":material/leaderboard:"),
            st.Page(PAGES / "ndls.py", title="Nuits de la Solidarité", icon=":material/dark_mode:"),
        ],
        "Données": [
            st.Page(PAGES / "depot.py", title="Déposer un export", icon=":material/upload_file:"),
        ],
        "À propos": [
            st.Page(PAGES / "methodologie.py", title="Méthodologie", icon=":material/menu_book:"),
            st.Page(PAGES / "qualite.py", title="Qualité des données", icon=":material/fact_check:"),
        ],
    }
)
navigation.run()
