"""Two Guichet instances behind nginx stay one portal, whichever instance answers.

Two gunicorn processes (same code, same settings) share this test's database and a
Redis database as their cache; nginx (Debian's, a throwaway configuration with the
upstream of docs/operations.md: `least_conn`, so one request at a time goes to each in turn)
spreads requests over them and says which one answered (X-Upstream). Through nginx:
a session opened on one instance is valid on the other, the sign-in limit counts
failures made on both, request numbers taken concurrently on both are unique and
consecutive, and help search answers the same on both.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from guichet.accounts.models import ApiToken, Organisation
from guichet.help.services import load_bundled_content
from tests.accounts.factories import PASSWORD, grant_all, make_member
from tests.reliability.conftest import REDIS_HOST, REDIS_PORT, holding_redis_db, subprocess_database_url
from tests.smtp_sink import SmtpSink
from tests.tools import free_port, require

# A production deployment (PostgreSQL behind two instances): runs once, in CI's PostgreSQL run.
pytestmark = [pytest.mark.redis, pytest.mark.once, pytest.mark.django_db(transaction=True)]

GUNICORN = Path(sys.executable).with_name("gunicorn")
NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
daemon off;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {run}/body; proxy_temp_path {run}/proxy; fastcgi_temp_path {run}/fastcgi;
  uwsgi_temp_path {run}/uwsgi; scgi_temp_path {run}/scgi;
  upstream guichet {{ least_conn; server 127.0.0.1:{first}; server 127.0.0.1:{second}; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://guichet;
      proxy_set_header Host $http_host;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90  # a cold Django start on a loaded 2-core machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"process on port {port} exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"nothing listens on port {port}: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Portal:
    url: str

    def browser(self) -> Browser:
        return Browser(self.url)


class Browser:
    """A cookie-keeping client that notes which instance answered each request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.upstreams: list[str] = []

    def open(self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        self.upstreams.append(response.headers.get("X-Upstream", ""))
        return Answer(response.status, response.geturl(), response.read().decode())

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == settings.CSRF_COOKIE_NAME)

    def sign_in(self, email: str, password: str) -> Answer:
        self.open("/en/accounts/login/")
        fields = {"login": email, "password": password, "csrfmiddlewaretoken": self.csrf()}
        return self.open("/en/accounts/login/", fields)


@dataclass
class Answer:
    status: int
    url: str
    text: str


@pytest.fixture(scope="module")
def portal(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """Started once for the module: the instances hold no state of their own, which is the point."""
    require("nginx", "nginx-light")
    tmp_path = tmp_path_factory.mktemp("scale-out")
    sink = SmtpSink()
    sink.start()
    with holding_redis_db() as redis_db:
        env = {
            **os.environ,
            "DATABASE_URL": subprocess_database_url(),
            "CACHE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "",
            "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
        }
        processes: list[subprocess.Popen[bytes]] = []
        ports = [free_port(), free_port()]
        try:
            for number, port in enumerate(ports):
                log = tmp_path / f"instance-{number}.log"
                with log.open("wb") as output:
                    command = [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "guichet.config.wsgi"]
                    processes.append(subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT))
            for port, process, number in zip(ports, processes, range(2), strict=True):
                _wait_for(port, process, tmp_path / f"instance-{number}.log")
            run = tmp_path / "nginx"
            run.mkdir()
            port = free_port()
            (run / "nginx.conf").write_text(NGINX_CONF.format(run=run, first=ports[0], second=ports[1], port=port))
            with (run / "stdout.log").open("wb") as output:
                nginx = ["/usr/sbin/nginx", "-p", str(run), "-c", str(run / "nginx.conf"), "-e", str(run / "error.log")]
                processes.append(subprocess.Popen(nginx, stdout=output, stderr=subprocess.STDOUT))
            _wait_for(port, processes[-1], run / "stdout.log")
            yield Portal(f"http://127.0.0.1:{port}")
        finally:
            for process in reversed(processes):  # nginx first, then the instances, before the database goes
                _stop(process)
            sink.stop()


@pytest.fixture
def member(org_a: Organisation):  # type: ignore[no-untyped-def]
    user = make_member(org_a, role="admin", email="scale@example.com", language="en")
    grant_all(user, org_a)
    return user


def test_a_session_opened_on_one_instance_is_valid_on_the_other(portal: Portal, member) -> None:  # type: ignore[no-untyped-def]
    browser = portal.browser()
    signed_in = browser.sign_in(member.email, PASSWORD)
    assert "/accounts/login/" not in signed_in.url, signed_in.text[:500]
    pages = [browser.open("/en/requests/") for _ in range(4)]
    assert [page.status for page in pages] == [200] * 4
    assert all("/accounts/login/" not in page.url for page in pages)
    assert len(set(browser.upstreams[-8:])) == 2, browser.upstreams  # both instances served the member


def test_the_sign_in_limit_counts_failures_made_on_both_instances(portal: Portal, org_a: Organisation) -> None:
    # Her own address: the instances share one cache for the whole module, counters included.
    member = make_member(org_a, email="limited@example.com", language="en")
    browser = portal.browser()
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        failed = browser.sign_in(member.email, "not-the-password")
        assert "/accounts/login/" in failed.url
    assert len(set(browser.upstreams)) == 2, browser.upstreams
    # Each instance saw only some of the failures; with a per-process count this would let her in.
    refused = browser.sign_in(member.email, PASSWORD)
    assert "/accounts/login/" in refused.url
    assert browser.open("/en/requests/").url.split("?")[0].endswith("/accounts/login/")


def test_request_numbers_taken_on_both_instances_are_unique_and_consecutive(portal: Portal, member) -> None:  # type: ignore[no-untyped-def]
    token = ApiToken.issue(member)
    body = json.dumps({"type": "general", "subject": "Two instances", "description": "Numbered once."}).encode()

    def create(_: int) -> tuple[int, str, str]:
        request = urllib.request.Request(
            portal.url + "/api/v1/requests",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["number"], response.headers["X-Upstream"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(create, range(12)))
    assert {status for status, _, _ in answers} == {201}
    assert len({upstream for _, _, upstream in answers}) == 2
    sequence = sorted(int(number.rsplit("-", 1)[1]) for _, number, _ in answers)
    assert sequence == list(range(sequence[0], sequence[0] + 12))


def test_help_search_answers_the_same_on_both_instances(portal: Portal) -> None:
    load_bundled_content()  # an earlier transactional test's flush emptied what the migration loaded
    browser = portal.browser()
    answers = {}
    for _ in range(4):
        page = browser.open("/en/help/search/?q=invoice+copy")
        answers[browser.upstreams[-1]] = re.findall(r'href="(/en/help/articles/[^"/]+/)', page.text)
    assert len(answers) == 2
    first, second = answers.values()
    assert first and first == second
