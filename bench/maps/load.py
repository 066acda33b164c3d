"""A small HTTP load generator: N clients with keep-alive connections
sending a fixed list of requests to one server, bounded in count and time.

Loopback only (the servers under test run on this machine). Besides
throughput and latency it reads the CPU time the server processes spent
(from /proc), which stays meaningful when other work shares the machine.
"""

from __future__ import annotations

import http.client
import itertools
import os
import statistics
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    mean_bytes: float
    cpu_ms_per_request: float | None  # server processes' CPU (user + system) per answered request
    first_error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _cpu_ticks(pids: Iterable[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def process_tree(root_pids: Iterable[int]) -> list[int]:
    """The given processes and all their descendants (e.g. the PostgreSQL backends)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    seen: list[int] = []
    todo = list(root_pids)
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.append(pid)
            todo.extend(children.get(pid, []))
    return seen


def _request(conn: http.client.HTTPConnection, path: str, gzip: bool) -> tuple[int, str, bytes]:
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip else {})
    response = conn.getresponse()
    body = response.read()
    return response.status, response.getheader("Content-Type", ""), body


def run(
    urls: list[str],
    *,
    clients: int,
    max_requests: int,
    max_seconds: float,
    expect_type: str,
    server_pids=None,
    gzip: bool = False,
) -> Result:
    """Send ``urls`` in order (cycling) from ``clients`` threads until either bound is reached.

    A request counts as an error unless it answers 200 with a Content-Type
    starting with ``expect_type`` (a WMS exception comes back as 200 XML).
    ``server_pids`` is a callable returning the processes whose CPU to count.
    """
    parts = urlsplit(urls[0])
    host, port = parts.hostname, parts.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load generator targets loopback only, not {host}")
    paths = [urlsplit(u)._replace(scheme="", netloc="").geturl() for u in urls]
    order = itertools.cycle(paths)
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []
    deadline = time.monotonic() + max_seconds

    def next_path() -> str | None:
        nonlocal issued
        with lock:
            if issued >= max_requests or time.monotonic() > deadline:
                return None
            issued += 1
            return next(order)

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=180)
        try:
            while (path := next_path()) is not None:
                started = time.perf_counter()
                try:
                    status, content_type, body = _request(conn, path, gzip)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=180)
                    with lock:
                        errors.append(f"{path}: {exc}")
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    if status == 200 and content_type.startswith(expect_type):
                        latencies.append(elapsed)
                        sizes.append(len(body))
                    else:
                        errors.append(f"{path}: {status} {content_type} {body[:200]!r}")
        finally:
            conn.close()

    pids = server_pids() if server_pids else []
    cpu_before = _cpu_ticks(pids)
    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    cpu = (_cpu_ticks(server_pids() if server_pids else []) - cpu_before) / CLOCK_TICKS
    ok = len(latencies)
    ordered = sorted(latencies)
    return Result(
        requests=ok,
        errors=len(errors),
        seconds=round(seconds, 3),
        rps=round(ok / seconds, 2) if seconds else 0.0,
        p50_ms=round(1000 * statistics.median(ordered), 1) if ordered else float("nan"),
        p95_ms=round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1) if ordered else float("nan"),
        mean_bytes=round(statistics.fmean(sizes)) if sizes else 0,
        cpu_ms_per_request=round(1000 * cpu / ok, 1) if (server_pids and ok) else None,
        first_error=errors[0][:400] if errors else None,
    )
