"""A stand-in for the LINE Messaging API, shared by the tests of the lessons and of
LINE intake: a local HTTP server that records each request."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .common import PNG


class LineRecorder(BaseHTTPRequestHandler):
    """Records each request; answers 500 under /fail, an image's content (a PNG) to
    GET .../content, and 200 elsewhere."""

    requests = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        status = 500 if self.path.startswith("/fail") else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def do_GET(self):
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": b""})
        if self.path.startswith("/fail") or not self.path.endswith("/content"):
            self.send_response(500 if self.path.startswith("/fail") else 404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


def start_line_server(case_class):
    """Start the stand-in for a test class; returns its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), LineRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    case_class.addClassCleanup(server.server_close)
    case_class.addClassCleanup(server.shutdown)
    return f"http://127.0.0.1:{server.server_address[1]}"


def closed_port():
    """A port on 127.0.0.1 on which nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
