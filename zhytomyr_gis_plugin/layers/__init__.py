"""Layers of the city database in QGIS: forms, symbols, loading, saving (no widgets of our own)."""
