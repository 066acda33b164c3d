"""Which provider messages mean the public side could not read the database
(zhytomyr_gis/publishing/outage.py), and how the refusal reads; the
connection and concurrency errors a clerk may meet, in Ukrainian."""

from __future__ import annotations

import json

from zhytomyr_gis import errors
from zhytomyr_gis.publishing import outage


def test_failures_of_the_connection_count_and_notices_do_not():
    for message in (
        "Connection to database failed",
        "connection still bad after reset",
        "Connection error: SELECT * FROM x returned 1 [FATAL:  terminating connection due to administrator command",
        'connection to server at "127.0.0.1", port 5432 failed: FATAL:  the database system is shutting down',
    ):
        assert outage.is_database_failure(message), message
    for message in (
        "NOTICE: row number 0 is out of range 0..-1",
        "resetting bad connection.",
        "retry after reset succeeded.",
    ):
        assert not outage.is_database_failure(message), message


def test_the_refusal_is_an_ogc_exception_or_ogc_api_json():
    content_type, body = outage.answer("/ows/city")
    assert content_type.startswith("text/xml") and b'code="ServiceUnavailable"' in body
    content_type, body = outage.answer("/ows/city/wfs3/collections/x/items")
    assert content_type == "application/json"
    assert json.loads(body)[0]["code"] == "Service unavailable"
    assert "повторіть" in json.loads(body)[0]["description"]


def test_lost_connections_and_refused_concurrent_transactions_read_in_ukrainian():
    lost = errors.explain(None, "server closed the connection unexpectedly\n\tThis probably means ...")
    assert lost.kind == "connection_lost" and "Незбережені зміни залишилися" in lost.message_uk
    assert errors.explain("57P01", "terminating connection due to administrator command").kind == "connection_lost"
    busy = errors.explain("40P01", "deadlock detected")
    assert busy.kind == "busy" and "Повторіть" in busy.message_uk
    assert str(busy).startswith("Запис одночасно змінює інший користувач")
