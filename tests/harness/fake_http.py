"""What the stateful fakes of hosted mail APIs share: a threaded HTTP server on 127.0.0.1, request
counting (reads and writes), tokens that expire on demand, and throttling on demand."""

import json
import random
import secrets
import ssl
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"


class Answer:
    def __init__(self, status, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


class FakeApi:
    """Subclasses implement ``route(method, path, query, headers, raw) -> Answer`` (raw: the request body as bytes).

    ``throttle(ratio, retry_after)`` makes that share of the API requests (token requests aside)
    answer the vendor's throttling answer, chosen by a seeded generator so runs are repeatable.
    ``expire_tokens()`` makes every token issued so far expired. ``calls`` counts requests by
    endpoint (inside a JSON batch too); ``http_requests`` counts HTTP requests; ``reads``/``writes``
    count the directory reads and the write requests received (a batch's sub-requests each).
    """

    def __init__(self, seed=13):
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.server = None
        self.thread = None
        self.reset()

    def reset(self):
        with self.lock:
            self.calls = Counter()
            self.http_requests = 0
            self.active = self.max_active = 0  # requests being answered at once, and the most seen
            self.latency = 0.0  # seconds each answer takes, as a real API's round trip would
            self.reads = 0
            self.writes = 0
            self.throttled = 0
            self.throttle_ratio = 0.0
            self.retry_after = 1
            self.tokens = {}  # token -> expiry (monotonic seconds)
            self.tokens_issued = 0
            self.throttle_times = []
            self.expire_at_request = None
            self.api_requests = 0
            self.reset_state()

    def reset_counters(self):
        with self.lock:
            self.tokens_issued = self.api_requests = self.http_requests = self.max_active = 0
            self.calls = Counter()
            self.reads = self.writes = self.throttled = 0

    def reset_state(self):
        raise NotImplementedError

    def route(self, method, path, query, headers, raw):
        raise NotImplementedError

    # Knobs ---------------------------------------------------------------------------------

    def throttle(self, ratio, retry_after=1):
        with self.lock:
            self.throttle_ratio = ratio
            self.retry_after = retry_after

    def should_throttle(self):
        with self.lock:
            if self.throttle_ratio and self.rng.random() < self.throttle_ratio:
                self.throttled += 1
                self.throttle_times.append(time.monotonic())
                return True
            return False

    def expire_tokens(self):
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = 0.0

    def issue_token(self, seconds):
        with self.lock:
            token = secrets.token_urlsafe(24)
            self.tokens[token] = time.monotonic() + seconds
            self.tokens_issued += 1
            return token

    def token_state(self, token):
        """``valid``, ``expired`` or ``invalid``; with ``expire_at_request`` set, every token issued so
        far expires when that many API requests have been made (a token expiring mid-run)."""
        with self.lock:
            self.api_requests += 1
            if self.expire_at_request is not None and self.api_requests >= self.expire_at_request:
                self.expire_at_request = None
                self.expire_tokens()
            expiry = self.tokens.get(token)
        if expiry is None:
            return "invalid"
        return "valid" if time.monotonic() < expiry else "expired"

    # Server --------------------------------------------------------------------------------

    tls = False

    @property
    def url(self):
        return "%s://%s:%d" % ("https" if self.tls else "http", HOST, self.server.server_address[1])

    def start(self, certs=None):
        """Serve on a free port; over TLS with ``certs`` (the harness's CertPaths)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                query = dict((k, v[0]) for k, v in parse_qs(parts.query, keep_blank_values=True).items())
                with fake.lock:
                    fake.http_requests += 1
                    fake.active += 1
                    fake.max_active = max(fake.max_active, fake.active)
                try:
                    time.sleep(fake.latency)
                    answer = fake.route(self.command, parts.path, query, self.headers, raw)
                finally:
                    with fake.lock:
                        fake.active -= 1
                data = b"" if answer.body is None else json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, str(value))
                if answer.body is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True
        if certs is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(certs.cert), str(certs.key))
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.tls = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def parse_json(raw):
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except ValueError:
        return ValueError
