"""Tables of knowledge (CAMEO, countries, gazetteer, lexicons) as readable data files in tables/."""
from __future__ import annotations

from pathlib import Path

TABLES_DIR = Path(__file__).resolve().parent / "tables"
