"""The Streamlit layer's library: sidebar and page helpers, escaping, figures, uploads, launching."""
