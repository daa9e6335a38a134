"""The small threaded HTTP server the test fakes are built on (standard library only).

``FakeHttpServer`` binds 127.0.0.1 on an OS-assigned port, serves each request in its own daemon
thread and hands it, body already read, to the subclass's ``_serve(handler, body)``. ``stop()``
ends within ~2 s even with requests in flight: it sets ``_stopping`` (which fakes wait on for
delays, hangs and long polls), calls the ``_on_stop`` hook and cuts every open connection.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

Json = dict[str, Any]


class _Server(ThreadingHTTPServer):
    """Threaded HTTP server that remembers open connections so stop() can cut them."""

    daemon_threads = True
    # The default backlog of 5 drops connections when many clients connect at once.
    request_queue_size = 256
    block_on_close = False

    def __init__(self, owner: FakeHttpServer) -> None:
        self.owner = owner
        self.conns: set[socket.socket] = set()
        self.conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections cut by clients or by stop() are normal here; stay quiet about them."""

    def close_all(self) -> None:
        """Shut down every open connection, waking handlers blocked on them."""
        with self.conns_lock:
            conns = list(self.conns)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    """Hands each request to the owning fake's ``_serve`` and offers it small writing helpers."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr logging."""

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.conns_lock:
            self.server.conns.add(self.connection)

    def finish(self) -> None:
        with self.server.conns_lock:
            self.server.conns.discard(self.connection)
        with suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        self.dispatch()

    def do_POST(self) -> None:
        self.dispatch()

    def dispatch(self) -> None:
        """Read the body (per Content-Length) and let the fake answer; closes broken connections."""
        try:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.server.owner._serve(self, body)
        except OSError:
            self.close_connection = True

    def send_body(self, status: int, body: bytes, *, content_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> None:
        """Send a complete response with a Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def start_stream(self) -> None:
        """Start a chunked ``text/event-stream`` response."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def send_chunk(self, data: bytes) -> None:
        """Send one HTTP chunk (an empty ``data`` ends the stream properly)."""
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def cut(self) -> None:
        """Close the connection abruptly, without sending (or finishing) a response."""
        self.close_connection = True
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class FakeHttpServer:
    """Base of the fakes: an HTTP server on 127.0.0.1 run in a daemon thread.

    Use it as a context manager (or start()/stop()). Subclasses implement ``_serve`` and may
    override ``_on_stop``; requests are served concurrently, each in its own thread.
    """

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread; returns self."""
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving within ~2 s: ends waits on ``_stopping``, cuts open connections."""
        if self._server is None:
            return
        self._stopping.set()
        self._on_stop()
        self._server.shutdown()
        self._server.close_all()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on (server must be started)."""
        if self._server is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return int(self._server.server_address[1])

    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT`` without a trailing slash (server must be started)."""
        return f"http://127.0.0.1:{self.port}"

    def _on_stop(self) -> None:
        """Hook run by stop() right after ``_stopping`` is set, e.g. to wake condition waits."""

    def _serve(self, handler: Handler, body: bytes) -> None:
        """Answer one request (``handler.command``, ``handler.path``, ``handler.headers``)."""
        raise NotImplementedError


def raw_post(url: str, data: bytes = b"", ctype: str = "application/json") -> tuple[int, Any]:
    """POST with urllib and return (status, decoded JSON body), also for HTTP errors."""
    request = urllib.request.Request(url, data, {"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())
