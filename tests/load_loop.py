"""A bounded request loop for the fault tests: a few client threads send a
fixed list of requests round and round until a deadline or a request count,
and note when each answer came and what it was."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests


@dataclass(frozen=True)
class Answer:
    started: float  # time.monotonic()
    ended: float
    name: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    body: bytes


@dataclass
class Loop:
    requests: list[tuple[str, str]]  # (name, url)
    clients: int = 2
    seconds: float = 20.0
    max_requests: int = 5000
    timeout_s: float = 30.0
    answers: list[Answer] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, offset: int, ends: float) -> None:
        session = requests.Session()
        n = offset
        while time.monotonic() < ends:
            with self._lock:
                if len(self.answers) >= self.max_requests:
                    return
            name, url = self.requests[n % len(self.requests)]
            n += 1
            started = time.monotonic()
            try:
                response = session.get(url, timeout=self.timeout_s)
                status, body = response.status_code, response.content
            except requests.RequestException:
                status, body = 0, b""
                session = requests.Session()
            with self._lock:
                self.answers.append(Answer(started, time.monotonic(), name, status, body))

    def start(self) -> Loop:
        ends = time.monotonic() + self.seconds
        self._threads = [
            threading.Thread(target=self._client, args=(i * 7, ends), daemon=True) for i in range(self.clients)
        ]
        for t in self._threads:
            t.start()
        return self

    def join(self) -> list[Answer]:
        for t in self._threads:
            t.join(timeout=self.seconds + self.timeout_s + 10)
        assert not any(t.is_alive() for t in self._threads), "a client of the load loop did not stop"
        return sorted(self.answers, key=lambda a: a.started)


def failures(answers: list[Answer], accepted: frozenset[int] = frozenset({200})) -> list[Answer]:
    return [a for a in answers if a.status not in accepted]


def summary(answers: list[Answer]) -> str:
    by_status: dict[int, int] = {}
    for a in answers:
        by_status[a.status] = by_status.get(a.status, 0) + 1
    return f"{len(answers)} requests, statuses {dict(sorted(by_status.items()))}"
