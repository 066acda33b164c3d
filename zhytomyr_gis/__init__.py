"""Zhytomyr City GIS: the core that needs no GUI.

Migrations, the workflow API, validators, error explanations and the demo
data generator live here and are importable without Qt widgets; the QGIS
plugin and the server setup are thin layers over this package.
"""

__version__ = "0.1.0"
