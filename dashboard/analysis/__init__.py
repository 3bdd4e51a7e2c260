"""Text analysis: normalisation, the gazetteer (actors), date expressions and event extraction."""
