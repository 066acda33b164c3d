"""The approvals' channel as the public side's services listen to it
(``publishing.approval_channel``), on the test cluster: a session gets a
connection that hears the channel, and a connection the database ends is
replaced by a new one, the service told meanwhile."""

from __future__ import annotations

import threading
import time

from conftest import wait_for

from zhytomyr_gis.publishing import approval_channel


def test_a_session_hears_the_channel_and_a_lost_connection_is_replaced(db):
    heard: list[str] = []
    sessions: list[tuple[int, bool]] = []
    disconnected: list[float] = []

    def session(conn, standby: bool) -> None:
        sessions.append((conn.info.backend_pid, standby))
        while time.monotonic() < ends:
            payloads = approval_channel.notifications(conn, 0.2)
            if payloads:
                heard.extend(payloads)
            with conn.cursor() as cur:  # a connection ended by the database fails here
                cur.execute("SELECT 1")

    ends = time.monotonic() + 12  # the helper and its sessions stop then
    listener = threading.Thread(
        target=approval_channel.listen_for_approvals,
        args=(db.dsn("portal_reader"), session),
        kwargs={
            "application_name": "zgis_test_channel",
            "ends": ends,
            "on_disconnected": lambda: disconnected.append(1),
        },
    )
    listener.start()
    admin = db.connect()
    try:
        assert wait_for(lambda: len(sessions) == 1)
        pid, standby = sessions[0]
        assert standby is False
        with admin.cursor() as cur:
            cur.execute("SELECT application_name FROM pg_stat_activity WHERE pid = %s", (pid,))
            assert cur.fetchone() == ("zgis_test_channel",)
            cur.execute("SELECT pg_notify(%s, 'first')", (approval_channel.CHANNEL,))
        assert wait_for(lambda: heard == ["first"])

        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert wait_for(lambda: len(sessions) == 2, seconds=approval_channel.RECONNECT_DELAY_S + 10)
        assert disconnected, "the service was told it had no connection"
        assert sessions[1][0] != pid
        with admin.cursor() as cur:
            cur.execute("SELECT pg_notify(%s, 'second')", (approval_channel.CHANNEL,))
        assert wait_for(lambda: heard == ["first", "second"]), "the new connection listens too"
    finally:
        listener.join(timeout=30)
    assert not listener.is_alive(), "the helper stops at its end"
