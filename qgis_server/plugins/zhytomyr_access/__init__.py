"""QGIS Server plugin: the access rules of the public services (see plugin.py)."""


def serverClassFactory(server_iface):  # noqa: N802 - the name QGIS Server looks for
    from .plugin import ZhytomyrAccessPlugin

    return ZhytomyrAccessPlugin(server_iface)
