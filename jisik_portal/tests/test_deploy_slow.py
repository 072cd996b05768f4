"""Three slow clients must not take the site down (issue 12 #7).

The attack: three clients that send a request body a byte at a time held all three sync
workers, and nobody else was served. With deploy/gunicorn.conf.py (threaded workers) a
normal request is still answered at once. In production nginx buffers in front as well
(deploy/nginx.conf, checked by test_deploy_nginx.py).
"""

import os
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local server
        response.read()
        return response.status, time.perf_counter() - started


class Server:
    def __init__(self, tmp_path: Path, *extra: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VAR_DIR": str(tmp_path / "var"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "3",
            "GUNICORN_THREADS": "4",
            "GUNICORN_LOG_LEVEL": "info",
            "STATIC_MANIFEST": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,jisik.junggu.seoul.kr",
        }
        self.log = open(tmp_path / "gunicorn.log", "wb")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", str(CONFIG), *extra],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        ready, error = 0, ""
        while ready < 6:  # every worker booted and answering
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"{self.url}: {error}\n" + (tmp_path / "gunicorn.log").read_text()[-3000:]
                )
            try:
                get(self.url + "/accounts/login/", timeout=10)
                ready += 1
            except OSError as exc:
                error = repr(exc)
                time.sleep(0.5)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def start(tmp_path: Path) -> Iterator:
    servers: list[Server] = []

    def _start(*extra: str) -> Server:
        servers.append(Server(tmp_path, *extra))
        return servers[-1]

    yield _start
    for server in servers:
        server.stop()


def csrf_pair(url: str) -> tuple[str, str]:
    """A CSRF cookie and form token, so Django reads the slow body instead of refusing it."""
    with urllib.request.urlopen(url + "/accounts/login/", timeout=10) as response:  # noqa: S310
        cookie = response.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert token is not None
    return cookie, token.group(1)


def slow_clients(server: "Server", count: int, seconds: float) -> list[threading.Thread]:
    """Clients that send a login form's headers, then its body one byte every half second."""
    cookie, token = csrf_pair(server.url)
    body = f"csrfmiddlewaretoken={token}&username=kim&password=".encode() + b"a" * 1000

    def trickle() -> None:
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + f"Cookie: {cookie}\r\nContent-Length: {len(body)}\r\n".encode()
                + b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            )
            end = time.monotonic() + seconds
            for byte in body:
                if time.monotonic() > end:
                    return
                try:
                    s.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(0.5)

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # let each slow client reach a worker
    return threads


def test_the_attack_three_slow_clients_hold_every_sync_worker(start: object) -> None:
    server = start("--worker-class", "sync", "--threads", "1")
    slow_clients(server, 3, seconds=8)
    with pytest.raises(OSError):  # timed out: nobody serves the normal request
        get(server.url + "/accounts/login/", timeout=3)


def test_with_the_shipped_config_three_slow_clients_do_not_block_a_request(start: object) -> None:
    server = start()
    slow_clients(server, 3, seconds=8)
    timings = [get(server.url + "/accounts/login/", timeout=3) for _ in range(5)]
    print(f"\nnormal requests beside 3 slow clients: {[round(t, 3) for _, t in timings]} s")
    assert all(status == 200 for status, _ in timings)
    assert max(t for _, t in timings) < 1.5
