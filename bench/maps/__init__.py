"""``make bench-maps``: the public maps measured against MapServer 8.

QGIS Server (the production set-up of ``tools/server.sh``) and MapServer 8
serve the same published tables behind the same nginx; one run measures
both side by side on the same requests and reports ratios. See
``bench/README.md`` for the method and the latest results.
"""
