"""Answers posted to Slack's ``response_url`` over kept-alive connections.

Bolt's ``respond`` builds a slack_sdk ``WebhookClient`` per call, and that opens a new connection
through urllib every time: at Slack a TCP and TLS handshake for every answer, on loopback (the
bench) ~0.4 ms of the bot's CPU per answer more than a kept-alive ``http.client`` connection.
``KeptAliveRespond`` posts the same JSON the same way and returns the same ``WebhookResponse``,
over connections kept per host by one ``ResponseUrlPoster``.

A connection the server closed while it was idle fails on its next use before any answer is
read; that post is made once more on a new connection (slack_sdk's own client retries
connection errors once, too). Connections idle longer than ``IDLE_FOR`` are not reused. Where
urllib would go through a proxy (``HTTPS_PROXY`` and the like), Bolt's ``respond`` is kept.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import BoltContext, Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.webhook import WebhookResponse

IDLE_FOR = 20.0  # seconds a connection may wait for the next answer before it is closed instead
KEPT_PER_HOST = 8
TIMEOUT = 10.0
USER_AGENT = "Paidup (response_url)"

_Host = tuple[str, str, int]  # scheme, host, port


class ResponseUrlPoster:
    """POSTs JSON to response URLs, keeping up to ``KEPT_PER_HOST`` idle connections per host."""

    def __init__(self, timeout: float = TIMEOUT, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout = timeout
        self.clock = clock
        self._idle: dict[_Host, list[tuple[float, http.client.HTTPConnection]]] = {}
        self._lock = threading.Lock()

    def post(self, url: str, message: dict[str, Any]) -> WebhookResponse:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a response_url is an http(s) URL")
        host = (parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = json.dumps(message).encode("utf-8")
        connection, reused = self._take(host)
        try:
            status, data, headers, closing = self._send(connection, path, body)
        except ConnectionError:  # RemoteDisconnected, reset, broken pipe: no answer was read
            connection.close()
            if not reused:
                raise
            connection = self._connect(host)  # the server had closed it while idle
            status, data, headers, closing = self._send(connection, path, body)
        except BaseException:
            connection.close()
            raise
        if closing:
            connection.close()
        else:
            self._give(host, connection)
        return WebhookResponse(url=url, status_code=status, body=data.decode("utf-8", "replace"), headers=headers)

    def _send(self, connection: http.client.HTTPConnection, path: str,
              body: bytes) -> tuple[int, bytes, dict[str, str], bool]:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/json;charset=utf-8", "User-Agent": USER_AGENT})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, dict(response.getheaders()), response.will_close

    def _take(self, host: _Host) -> tuple[http.client.HTTPConnection, bool]:
        """An idle connection to ``host`` (True) or a new one (False); stale ones are closed."""
        now = self.clock()
        with self._lock:
            idle = self._idle.get(host, [])
            while idle:
                since, connection = idle.pop()
                if now - since <= IDLE_FOR:
                    return connection, True
                connection.close()
        return self._connect(host), False

    def _give(self, host: _Host, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(host, [])
            if len(idle) < KEPT_PER_HOST:
                idle.append((self.clock(), connection))
                return
        connection.close()

    def _connect(self, host: _Host) -> http.client.HTTPConnection:
        scheme, name, port = host
        if scheme == "https":
            return http.client.HTTPSConnection(name, port, timeout=self.timeout)
        return http.client.HTTPConnection(name, port, timeout=self.timeout)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for _, connection in connections:
                connection.close()


class KeptAliveRespond(Respond):
    """Bolt's ``respond`` (same arguments, same message, same ``WebhookResponse``) through a poster."""

    def __init__(self, *, response_url: str | None, poster: ResponseUrlPoster) -> None:
        super().__init__(response_url=response_url)
        self._poster = poster

    def __call__(self, text: str | dict = "", **kwargs: Any) -> WebhookResponse:  # type: ignore[override]
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        message = _build_message(**text) if isinstance(text, dict) else _build_message(text=text, **kwargs)
        return self._poster.post(self.response_url, message)


def kept_alive_respond(poster: ResponseUrlPoster) -> Callable[[BoltContext, Callable[[], None]], None]:
    """Global Bolt middleware: ``respond`` posts through ``poster`` unless a proxy is configured."""
    proxied = bool(urllib.request.getproxies())  # from the environment, as urllib reads it

    def middleware(context: BoltContext, next: Callable[[], None]) -> None:
        url = context.response_url
        if url and not proxied:
            context["respond"] = KeptAliveRespond(response_url=url, poster=poster)
        next()

    return middleware
