"""The public geoportal's server-side pieces (no Qt, no QGIS).

``settings`` reads the deployment settings (portal/settings.json: which
sites may frame the maps, an optional external base map, the generated-data
label); ``config`` turns the publishing declaration into the ``config.json``
the web pages read. ``python -m zhytomyr_gis.portal`` is their command line,
used by ``tools/server.sh`` when it deploys the portal.
"""
