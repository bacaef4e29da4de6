"""The Streamlit observatory (pages, data module, charts): built by the next issue."""
