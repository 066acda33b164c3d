"""Open data of the city's registers, made from approved data only.

The datasets of the Cabinet of Ministers' list (Постанова КМУ від 21.10.2015
№ 835) that this system holds are declared in ``datasets``; ``extract``
reads them from the ``published`` schema as ``portal_reader`` (never the
working tables), ``formats`` writes CSV, JSON, XLSX, GeoJSON and GeoPackage,
``describe`` the passport, Table Schemas and Data Package descriptors,
``catalogue`` the DCAT / data.json catalogue a CKAN portal can harvest,
``release`` publishes a complete set atomically, ``listener`` regenerates it
after approvals and ``ckan`` uploads the catalogue to a CKAN portal.

Nothing here imports Qt or QGIS.
"""
