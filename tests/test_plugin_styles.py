"""A GIS administrator's new forms and styles reach users only after another
administrator approves them (workflow.request_configuration)."""

from __future__ import annotations

from plugin_env import auth_manager, critical, login, plugin, service_file, styled_db  # noqa: F401 - fixtures

from zhytomyr_gis.registers import REGISTERS


def _qml_of(conn, table: str) -> str:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT styleqml::text FROM public.layer_styles WHERE f_table_schema || '.' || f_table_name = %s"
            " AND useasdefault",
            (table,),
        )
        return cur.fetchone()[0]


def test_requested_styles_apply_when_another_administrator_approves(plugin, qgis_iface, styled_db):
    su = styled_db.connect()
    with su.cursor() as cur:  # a style changed by hand since
        cur.execute("UPDATE public.layer_styles SET styleqml = '<qgis/>' WHERE f_table_name = 'land_parcel'")

    login("t_admin_editor")
    assert plugin.store_styles() == len(REGISTERS)
    assert not critical(qgis_iface)
    assert _qml_of(su, "property.land_parcel") == "<qgis/>", "requested, not applied"

    verifier = styled_db.connect("t_admin_verifier")
    with verifier.cursor() as cur:
        cur.execute("SELECT id FROM workflow.configuration_request WHERE state = 'pending' ORDER BY id")
        for (request,) in cur.fetchall():
            cur.execute("SELECT workflow.decide_configuration(%s, true, 'перевірено')", (request,))
    applied = _qml_of(su, "property.land_parcel")
    with su.cursor() as cur:
        cur.execute(
            "SELECT new_values->>'styleqml' FROM workflow.configuration_request"
            " WHERE new_values->>'f_table_name' = 'land_parcel' AND state = 'approved'"
        )
        assert applied == cur.fetchone()[0]
    assert "Кадастровий номер" in applied, "the form of the register, with its Ukrainian labels"
    with su.cursor() as cur:
        cur.execute(
            "SELECT actor, requested_by FROM history.configuration_change WHERE table_name = 'public.layer_styles'"
            " AND request_id IS NOT NULL"
        )
        assert set(cur.fetchall()) == {("t_admin_verifier", "t_admin_editor")}


def test_a_clerk_cannot_request_styles(plugin, qgis_iface, styled_db):
    login("t_property_editor")
    assert plugin.store_styles() is None
    assert any("адміністратор" in m or "Адміністратор" in m for m in critical(qgis_iface)), critical(qgis_iface)
