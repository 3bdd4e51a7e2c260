"""Queries over the store: the Filter, keyword search, articles, events, timeline, similarity, export."""
