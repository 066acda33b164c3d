"""Publishing: the curated QGIS Server projects and the rules of the public side.

``catalog`` declares the projects (plain data), ``builder`` turns the
declaration into ``.qgs`` files with qgis.core, ``checker`` audits project
files before they are served, ``access`` holds the access decisions the
QGIS Server plugin applies, ``credentials`` writes the connection files of
the public role. Only ``builder`` (and the optional layer check of
``checker``) import QGIS.
"""
