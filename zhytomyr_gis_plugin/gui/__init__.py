"""Docks and dialogs of the plugin, one module each (thin: logic lives in zhytomyr_gis)."""
