"""Relations Dashboard: a store, importers and query functions for articles and
events about relations between countries. The Streamlit pages and the CLI are
thin layers over this package."""

__version__ = "0.1.0"
