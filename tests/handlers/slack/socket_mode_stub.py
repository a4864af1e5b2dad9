"""A tiny Socket Mode counterpart on loopback (no WebSocket library is installed): it answers
``auth.test`` and ``apps.connections.open`` like the Web API, accepts the WebSocket the app opens,
says hello, hands over envelopes and collects the app's acks."""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import socket
import struct
import threading
from typing import Any

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
AUTH_TEST = {"ok": True, "url": "https://paidup-demo.slack.com/", "team": "Paidup Demo", "user": "paidup",
             "team_id": "T0PAIDUP", "user_id": "U0PAIDUPBOT", "bot_id": "B0PAIDUPBOT"}


class SocketModeStub:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self._outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.api_calls: list[str] = []
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def send(self, envelope: dict[str, Any]) -> None:
        self._outbox.put(envelope)

    def close(self) -> None:
        self._listener.close()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            request_line, *lines = head.split(b"\r\n\r\n")[0].decode().split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines if ":" in line)}
            path = request_line.split()[1]
            if headers.get("upgrade", "").lower() == "websocket":
                self._websocket(conn, headers["sec-websocket-key"])
            else:
                self._web_api(conn, path)

    def _web_api(self, conn: socket.socket, path: str) -> None:
        method = path.split("/api/")[-1].split("?")[0]
        self.api_calls.append(method)
        body = {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket=t"} if method == \
            "apps.connections.open" else AUTH_TEST if method == "auth.test" else {"ok": True}
        data = json.dumps(body).encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     + f"Content-Length: {len(data)}\r\n\r\n".encode() + data)

    def _websocket(self, conn: socket.socket, key: str) -> None:
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()  # noqa: S324 - RFC 6455
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        send_lock = threading.Lock()
        self._send_frame(conn, send_lock, 0x1, json.dumps({"type": "hello", "num_connections": 1}).encode())
        threading.Thread(target=self._pump_outbox, args=(conn, send_lock), daemon=True).start()
        while True:
            try:
                frame = _read_frame(conn)
            except OSError:  # the client went away without a close frame (reset): as good as closed
                return
            if frame is None or frame[0] == 0x8:
                return
            opcode, payload = frame
            if opcode == 0x9:
                self._send_frame(conn, send_lock, 0xA, payload)
            elif opcode == 0x1:
                self.acks.put(json.loads(payload))

    def _pump_outbox(self, conn: socket.socket, lock: threading.Lock) -> None:
        while True:
            envelope = self._outbox.get()
            try:
                self._send_frame(conn, lock, 0x1, json.dumps(envelope).encode())
            except OSError:
                return

    @staticmethod
    def _send_frame(conn: socket.socket, lock: threading.Lock, opcode: int, payload: bytes) -> None:
        size = len(payload)
        header = bytes([0x80 | opcode]) + (bytes([size]) if size < 126 else
                                          struct.pack("!BH", 126, size) if size < 65536 else
                                          struct.pack("!BQ", 127, size))
        with lock:
            conn.sendall(header + payload)


def _recv_exact(conn: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_frame(conn: socket.socket) -> tuple[int, bytes] | None:
    head = _recv_exact(conn, 2)
    if head is None:
        return None
    opcode, size = head[0] & 0x0F, head[1] & 0x7F
    if size in (126, 127):
        extra = _recv_exact(conn, 2 if size == 126 else 8)
        if extra is None:
            return None
        size = struct.unpack("!H" if len(extra) == 2 else "!Q", extra)[0]
    mask = _recv_exact(conn, 4) if head[1] & 0x80 else b"\0\0\0\0"
    payload = _recv_exact(conn, size) if size else b""
    if mask is None or payload is None:
        return None
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
