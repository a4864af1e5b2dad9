"""Answers to response_url over kept-alive connections (bot.chat.response_url), against a real
HTTP server on loopback that records which client connection each post came on."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.chat.response_url import IDLE_FOR, KeptAliveRespond, ResponseUrlPoster


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.posts: list[tuple[int, str, dict]] = []  # (client port, path, JSON body)
        self.drop_after_answer = False  # close the connection after answering, without saying so

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless the client asks otherwise
    server: Recorder

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.posts.append((self.client_address[1], self.path, body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        if self.server.drop_after_answer:
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_answers_reuse_one_connection_and_carry_the_message(recorder: Recorder) -> None:
    poster = ResponseUrlPoster()
    respond = KeptAliveRespond(response_url=recorder.url + "/response/D1/U1?x=1", poster=poster)
    first = respond(text="Acme: due £10.00", blocks=[{"type": "divider"}], response_type="ephemeral")
    second = respond({"text": "again", "replace_original": True})
    assert (first.status_code, first.body, second.status_code) == (200, "ok", 200)
    (port_1, path, body), (port_2, _, body_2) = recorder.posts
    assert path == "/response/D1/U1?x=1"
    assert body == {"text": "Acme: due £10.00", "blocks": [{"type": "divider"}], "response_type": "ephemeral"}
    assert body_2 == {"text": "again", "replace_original": True}
    assert port_1 == port_2  # the same connection
    poster.close()


def test_a_connection_the_server_closed_is_replaced_and_the_answer_is_posted_once(recorder: Recorder) -> None:
    poster = ResponseUrlPoster()
    recorder.drop_after_answer = True
    assert poster.post(recorder.url + "/r", {"text": "one"}).status_code == 200
    assert poster.post(recorder.url + "/r", {"text": "two"}).status_code == 200
    assert [body["text"] for _, _, body in recorder.posts] == ["one", "two"]  # no post twice
    assert recorder.posts[0][0] != recorder.posts[1][0]
    poster.close()


def test_connections_idle_too_long_are_not_reused(recorder: Recorder) -> None:
    now = [0.0]
    poster = ResponseUrlPoster(clock=lambda: now[0])
    poster.post(recorder.url + "/r", {"text": "one"})
    now[0] += IDLE_FOR + 1
    poster.post(recorder.url + "/r", {"text": "two"})
    assert recorder.posts[0][0] != recorder.posts[1][0]
    poster.close()


def test_an_unreachable_response_url_raises_for_the_web_api_fallback() -> None:
    with pytest.raises(ConnectionError):
        ResponseUrlPoster(timeout=2).post("http://127.0.0.1:9/response", {"text": "x"})
    with pytest.raises(ValueError, match="http"):
        ResponseUrlPoster().post("file:///etc/passwd", {"text": "x"})
