"""The shipped nginx front (deploy/nginx.conf) is valid, and behind it even sync workers
survive slow clients: nginx holds a request until it has arrived whole (issue 12 #7).

Needs an nginx binary: NGINX_BIN, else nginx on the PATH or /usr/sbin/nginx (Debian's
`nginx` package); skipped without one.
"""

import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from .test_deploy_slow import Server, free_port

ROOT = Path(settings.BASE_DIR)
NGINX = os.environ.get("NGINX_BIN") or shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(not Path(NGINX).is_file(), reason="no nginx binary")


class Front:
    """deploy/nginx.conf on free ports with a self-signed certificate, in a temporary prefix."""

    def __init__(self, tmp_path: Path, upstream_port: int) -> None:
        self.prefix = tmp_path / "nginx"
        (self.prefix / "logs").mkdir(parents=True)
        self.http_port, self.https_port = free_port(), free_port()
        cert, key = self.prefix / "cert.pem", self.prefix / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=jisik.junggu.seoul.kr", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        for old, new in [
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;"),
            ("/etc/ssl/jisik/fullchain.pem", str(cert)),
            ("/etc/ssl/jisik/privkey.pem", str(key)),
            ("/var/log/nginx/", f"{self.prefix}/logs/"),
            ("127.0.0.1:8000", f"127.0.0.1:{upstream_port}"),
        ]:
            assert old in site
            site = site.replace(old, new)
        site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
        (self.prefix / "jisik.conf").write_text(site)
        (self.prefix / "nginx.conf").write_text(
            f"worker_processes 1;\npid {self.prefix}/nginx.pid;\n"
            f"error_log {self.prefix}/logs/error.log warn;\nevents {{}}\nhttp {{\n"
            + "".join(
                f"    {kind}_temp_path {self.prefix}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {self.prefix}/jisik.conf;\n}}\n"
        )
        self.args = [NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")]
        self.process: subprocess.Popen | None = None

    def test_config(self) -> subprocess.CompletedProcess:
        return subprocess.run([*self.args, "-t"], capture_output=True, text=True)

    def start(self) -> None:
        self.process = subprocess.Popen([*self.args, "-g", "daemon off;"])
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _tls(port: int) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return context.wrap_socket(raw, server_hostname="jisik.junggu.seoul.kr")


def https_get(port: int, path: str, timeout: float = 3) -> tuple[int, float]:
    started = time.perf_counter()
    with _tls(port) as s:
        s.settimeout(timeout)
        s.sendall(
            f"GET {path} HTTP/1.1\r\nHost: jisik.junggu.seoul.kr\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), time.perf_counter() - started


@pytest.fixture
def front(tmp_path: Path) -> Iterator[Front]:
    made = Front(tmp_path, upstream_port=free_port())
    yield made
    made.stop()


def test_the_shipped_config_is_valid(front: Front) -> None:
    result = front.test_config()
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_behind_nginx_even_sync_workers_survive_slow_clients(tmp_path: Path) -> None:
    port = free_port()
    server = Server(tmp_path, "--worker-class", "sync", "--threads", "1", port=port)
    front = Front(tmp_path / "front", upstream_port=port)
    try:
        front.start()
        assert https_get(front.https_port, "/accounts/login/")[0] == 200

        def trickle() -> None:
            with _tls(front.https_port) as s:
                s.sendall(
                    b"POST /board/ HTTP/1.1\r\nHost: jisik.junggu.seoul.kr\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\n"
                )
                for _ in range(16):
                    try:
                        s.sendall(b"a")
                    except OSError:
                        return
                    time.sleep(0.5)

        slow = [threading.Thread(target=trickle, daemon=True) for _ in range(6)]
        for thread in slow:
            thread.start()
        time.sleep(1.5)
        timings = [https_get(front.https_port, "/") for _ in range(5)]
        print(
            f"\nthrough nginx beside 6 slow clients (3 sync workers): {[round(t, 3) for _, t in timings]} s"
        )
        assert all(status == 200 for status, _ in timings)
        assert max(t for _, t in timings) < 1.5
    finally:
        front.stop()
        server.stop()


def test_plain_http_is_sent_to_https(front: Front) -> None:
    front.start()
    with socket.create_connection(("127.0.0.1", front.http_port), timeout=5) as s:
        s.sendall(
            b"GET /board/ HTTP/1.1\r\nHost: jisik.junggu.seoul.kr\r\nConnection: close\r\n\r\n"
        )
        head = s.recv(4096).decode()
    assert head.startswith("HTTP/1.1 301")
    assert "Location: https://jisik.junggu.seoul.kr/board/" in head
