"""The portal while its PostgreSQL restarts: 503 for the outage, back within 5 s, nothing lost from the outbox.

The test brings its own cluster (pg_cluster.py) and runs the portal against it as production
does: gunicorn with two worker processes, persistent connections, DEBUG off. Load goes on
throughout (pages in two languages, the API, the probes) while the cluster is crashed
(`pg_ctl stop -m immediate`: no checkpoint, connections cut) and started again.

It runs in the suite's PostgreSQL run only (docs/testing.md): it does not use the suite's
database, so the SQLite run would repeat it for nothing, and a machine set up for the PostgreSQL
run has the server binaries it needs. Without them it is skipped with a notice, except under
CI=true, where it fails. The same gunicorn also shows that /metrics adds up the counts of every
worker process (PROMETHEUS_MULTIPROC_DIR) and that its log lines carry the request ids.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.reliability.pg_cluster import Cluster, server_binaries
from tests.tools import free_port, in_ci

BIN = Path(sys.executable).parent
METRICS_TOKEN = "metrics-test-token"
RECOVERY_SECONDS = 5.0
OUTBOX_ROWS = 5
# The pages under load, and what the outage looks like on each. The API call reads an article: a
# help search may be answered from the results cache without the database, as it should.
PAGE_EN, PAGE_FR, API = "/en/help/", "/fr/help/", "/api/v1/help/articles/payment-methods?lang=fr&country=BE"
HEALTHZ, READYZ = "/healthz", "/readyz"
LOADED = (PAGE_EN, PAGE_FR, API, HEALTHZ, READYZ)
ENQUEUE = """
from django.db import transaction
from guichet.core.notifications.outbox import enqueue
context = {"first_name": "Ana", "organisation": "Tipografia", "application": "invoices", "reason": "", "url": "http://x/"}
with transaction.atomic():
    for i in range(%d):
        enqueue(to=f"user{i}@example.com", template="access_granted", language="fr", context=context,
                thread_key=f"restart-{i}")
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("runs in the PostgreSQL run of the suite only (it brings its own cluster; docs/testing.md)")
    binaries = server_binaries()
    if binaries is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin"
        if in_ci():
            pytest.fail(f"{reason}: required in CI (apt-get install postgresql)")
        print(f"NOTICE: {reason}: test skipped; set CI=true to fail instead")
        pytest.skip(reason)
    created = Cluster(binaries)
    try:
        created.create()
        yield created
    finally:
        created.destroy()


@dataclass
class App:
    base: str
    log: Path
    metrics_dir: Path
    cluster: Cluster


def _run(argv: list[str], env: dict[str, str], timeout: float = 600) -> str:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{argv} failed: {result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def app(cluster: Cluster) -> Iterator[App]:
    root = cluster.root / "app"
    (root / "mail").mkdir(parents=True)
    metrics_dir = root / "metrics"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_", "CELERY_", "CACHE_", "EMAIL_", "METRICS_", "PROMETHEUS_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": "reliability-test-not-secret",
        "CACHE_URL": "locmem:",  # no sign-in here: the limits need not be shared between the workers
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUICHET_VAR_DIR": str(root / "var"),
        "EMAIL_URL": f"file://{root / 'mail'}",
        "HELP_SEMANTIC_SEARCH": "off",
        "METRICS_TOKEN": METRICS_TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_LEVEL": "WARNING",
    }
    _run([str(BIN / "guichet"), "migrate", "--no-input"], env)
    _run([str(BIN / "guichet"), "shell", "-c", ENQUEUE % OUTBOX_ROWS], env)
    port = free_port()
    log = root / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:guichet.ops.gunicorn", "guichet.config.wsgi",
             "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5"],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while get(base + HEALTHZ).status != 200:
            assert server.poll() is None, f"gunicorn exited: {log.read_text(errors='replace')[-3000:]}"
            assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
            time.sleep(0.5)
        yield App(base, log, metrics_dir, cluster)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)


@dataclass
class Answer:
    path: str
    started: float
    ended: float
    status: int
    headers: dict[str, str]
    body: str


def get(url: str, headers: dict[str, str] | None = None, path: str = "") -> Answer:
    request = urllib.request.Request(url, headers=headers or {})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, answer_headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, body = error.code, dict(error.headers), error.read()
    except OSError as error:  # refused, reset, timed out: no answer (status 0)
        status, answer_headers, body = 0, {}, str(error).encode()
    return Answer(path, started, time.monotonic(), status, answer_headers, body.decode(errors="replace"))


def _outbox(cluster: Cluster) -> dict[str, str]:
    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=guichet") as connection:
        rows = connection.execute("SELECT message_id, status FROM core_outboxmessage WHERE thread_key LIKE 'restart-%'")
        return dict(rows.fetchall())


def _sample(exposition: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in exposition.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def test_metrics_add_up_every_worker_and_log_lines_carry_request_ids(app: App) -> None:
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    assert get(app.base + "/metrics").status == 403  # the token is set: nobody gets in without it
    before = get(app.base + "/metrics", auth).body
    # Eight at a time, so that both workers answer some (one after another, one worker may take all),
    # and again until both have: a worker still warming up (ops/warmup.py) accepts nothing yet.
    ids: list[str] = []
    deadline = time.monotonic() + 60
    while not ids or len(list(app.metrics_dir.glob("counter_*.db"))) < 2:
        assert time.monotonic() < deadline, "one worker answered every request for 60 s"
        batch = [f"restart-test-{len(ids) + i:03d}" for i in range(8)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda request_id: get(app.base + PAGE_EN, {"X-Request-ID": request_id}), batch))
        for request_id, answer in zip(batch, answers, strict=True):
            assert answer.status == 200 and answer.headers["X-Request-ID"] == request_id
        ids += batch
    after = get(app.base + "/metrics", auth)
    assert after.status == 200
    labels = {"view": "help:home", "method": "GET", "status": "200"}
    assert _sample(after.body, "guichet_http_requests_total", **labels) - _sample(
        before, "guichet_http_requests_total", **labels
    ) == len(ids)  # every worker's share added up
    assert _sample(after.body, "guichet_outbox_messages", status="pending") >= 0
    assert 'guichet_outbox_messages{status="failed"}' in after.body

    time.sleep(0.5)  # let the workers' stderr reach the file
    lines = [json.loads(line) for line in app.log.read_text().splitlines() if line.startswith("{")]
    logged = {line["request_id"] for line in lines if line.get("event") == "request" and "request_id" in line}
    assert set(ids) <= logged
    assert not any("127.0.0.1" in json.dumps(line) for line in lines if line.get("event") == "request")


def test_pages_answer_503_during_a_database_restart_and_recover_within_5_seconds(app: App) -> None:
    outbox_before = _outbox(app.cluster)
    assert len(outbox_before) == OUTBOX_ROWS

    answers: list[Answer] = []
    stop = threading.Event()

    def load(path: str) -> None:
        headers = {"Accept-Language": "fr"} if path == API else {}
        while not stop.is_set():
            answers.append(get(app.base + path, headers, path))
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(path,), daemon=True) for path in LOADED]
    for thread in threads:
        thread.start()
    time.sleep(2)
    crashed = time.monotonic()
    app.cluster.crash()
    time.sleep(3)
    restarting = time.monotonic()
    app.cluster.start()  # returns once the server accepts connections (after crash recovery)
    back = time.monotonic()
    time.sleep(RECOVERY_SECONDS + 2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    assert {a.status for a in answers} <= {200, 503}, sorted({(a.path, a.status, a.body[:200]) for a in answers})
    assert not [a for a in answers if "Traceback" in a.body]
    # /readyz names the failed check's exception class; the pages say nothing of the cause.
    assert not [a for a in answers if a.path != READYZ and "OperationalError" in a.body]
    before = [a for a in answers if a.ended < crashed]
    assert before and all(a.status == 200 for a in before)

    during = [a for a in answers if a.started > crashed + 0.5 and a.ended < restarting]
    for path in LOADED:
        seen = [a for a in during if a.path == path]
        assert seen, f"no request to {path} during the outage"
        expected = 200 if path == HEALTHZ else 503  # the process is alive; it cannot serve
        assert {a.status for a in seen} == {expected}, (path, [(a.status, a.body[:200]) for a in seen])
    sample = {path: next(a for a in during if a.path == path) for path in LOADED}
    assert "Back in a moment" in sample[PAGE_EN].body
    assert "Revenez dans un instant" in sample[PAGE_FR].body
    assert sample[PAGE_FR].headers["Retry-After"]
    api = json.loads(sample[API].body)
    assert api["code"] == "service_unavailable" and "instant" in api["message"]
    assert "database" in json.loads(sample[READYZ].body)["failed"]

    for path in LOADED:
        after = [a for a in answers if a.path == path and a.started > restarting]
        assert after and after[-1].status == 200, f"{path} did not recover"
        failures = [a for a in after if a.status != 200]
        recovered = max((a.ended for a in failures), default=back) - back
        print(f"{path}: last answer other than 200 ended {recovered:+.2f} s from the database accepting connections")
        assert recovered <= RECOVERY_SECONDS, f"{path} answered 503 for {recovered:.1f} s after the database was back"

    assert _outbox(app.cluster) == outbox_before  # committed before the crash: still there, unchanged
