"""Zhytomyr City GIS: the QGIS desktop plugin of the city's departments."""

from __future__ import annotations

from zhytomyr_gis_plugin import _bootstrap

_bootstrap.make_core_importable()


def classFactory(iface):  # noqa: N802 - the name QGIS looks for
    from zhytomyr_gis_plugin.plugin import ZhytomyrGisPlugin

    return ZhytomyrGisPlugin(iface)
