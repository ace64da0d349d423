"""Benchmark of library_complaints: SQL queries per complaint, concurrent submissions.

Run it with ``./dev bench``, or with ``.local/venv/bin/python bench/bench_complaints.py``
once PostgreSQL runs (``./dev setup`` starts it). It creates its own database
(``library_bench``, without demo data; ``--reuse`` keeps an existing one) and prints:

1. the SQL queries per complaint (track 3) created through the ORM, against a plain
   helpdesk_mgmt ticket created the same way without our values (target: ratio <= 1.3);
2. the SQL queries per anonymous submission of the public form (POST
   /complaint/submit), against a logged-in portal submission of helpdesk_mgmt's
   /new/ticket form (POST /submitted/ticket), as counted by Odoo itself in its
   request log lines, on a server with ``--workers 0`` (target: ratio <= 1.3);
3. 50 concurrent anonymous submissions against a server with ``--workers 2``: every
   one answered, stored once, with its own number and tracking code, no ERROR logged.

It exits with 1 when a figure misses its target or a check fails, 2 when it cannot
run (no PostgreSQL, the install fails, a server does not start). It stops the Odoo
servers it started, and leaves PostgreSQL running.
"""

import argparse
import contextlib
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import requests

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.modules.registry import Registry
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
ODOO_BIN = ROOT / ".local" / "venv" / "bin" / "odoo"
ODOO_CONF = ROOT / ".local" / "odoo.conf"
LOG_DIR = ROOT / ".local" / "log" / "bench"
ADDON = "library_complaints"
DEFAULT_DB = "library_bench"

RUNS = 50
WARMUP = 5
CONCURRENT = 50
TARGET_RATIO = 1.3
RATE_LIMIT_PARAM = "library_complaints.form_rate_limit"
RATE_LIMIT = 1000
PATRON_LOGIN = "bench_patron"
PATRON_PASSWORD = "bench_patron"  # a throw-away portal user of the bench database

HTTP_TIMEOUT = 60
CONNECTION_RETRIES = 3
SERVER_START_TIMEOUT = 180
SERVER_STOP_TIMEOUT = 30
ANONYMOUS_SUBMIT = "/complaint/submit"
PORTAL_SUBMIT = "/submitted/ticket"

# werkzeug's access line, to which Odoo appends "<queries> <query time> <other time>".
REQUEST_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>[^ ?"]+)\S* HTTP/[\d.]+" (?P<status>\d{3}) \S+ (?P<queries>\d+) '
)
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
INPUT_VALUE = re.compile(r'value="([^"]*)"')
TRACKING_CODE = re.compile(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b")
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")


class BenchError(Exception):
    """The benchmark cannot run; the message says why."""


def say(msg=""):
    print(msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mean(values):
    return sum(values) / len(values)


def percentile(values, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def describe(values):
    return f"{mean(values):.1f} (min {min(values)}, max {max(values)})"


def check_ratio(label, measured, baseline):
    ratio = mean(measured) / mean(baseline)
    verdict = "OK" if ratio <= TARGET_RATIO else "TOO HIGH"
    say(f"    ratio {label}: {ratio:.2f} (target <= {TARGET_RATIO}): {verdict}")
    return ratio <= TARGET_RATIO


# --------------------------------------------------------------------------
# database


def configure_odoo(db):
    config.parse_config(
        ["-c", str(ODOO_CONF), "-d", db, "--log-handler", ":WARNING"], setup_logging=True
    )
    threading.current_thread().dbname = db


def admin_connection():
    """Autocommit connection to the maintenance database, as Odoo's role."""
    conn = psycopg2.connect(
        dbname="postgres",
        host=config["db_host"],
        port=config["db_port"],
        user=config["db_user"],
        password=config["db_password"],
        connect_timeout=10,
    )
    conn.autocommit = True
    return conn


def database_exists(db):
    with contextlib.closing(admin_connection()) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return cr.fetchone() is not None


def drop_database(db):
    with contextlib.closing(admin_connection()) as conn, conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    shutil.rmtree(config.filestore(db), ignore_errors=True)


def install_database(db):
    log = LOG_DIR / "install.log"
    log.unlink(missing_ok=True)
    say(f"==> Creating {db}: odoo -i {ADDON} --without-demo (a minute or two; log: {log})")
    cmd = [ODOO_BIN, "-c", ODOO_CONF, "-d", db, "-i", ADDON, "--stop-after-init"]
    cmd += ["--without-demo", "--no-http", "--logfile", log]
    with open(log.with_suffix(".out"), "w") as out:
        proc = subprocess.run(
            [str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, check=False, timeout=1800
        )
    if proc.returncode != 0 or log_errors(log):
        raise BenchError(f"installing {ADDON} in {db} failed; see {log}")


def prepare_database(db, reuse):
    try:
        exists = database_exists(db)
    except psycopg2.OperationalError as exc:
        raise BenchError(f"PostgreSQL does not answer (run ./dev setup first): {exc}") from exc
    if exists and reuse:
        say(f"==> Reusing database {db}")
        return
    drop_database(db)
    install_database(db)


def prepare_bench_data(registry):
    """Committed: the rate limit raised, its counts cleared, a portal patron."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, str(RATE_LIMIT))
        env["library.complaint.rate.limit"].search([]).unlink()
        ensure_patron(env)
        return env.ref(f"{ADDON}.service_information").id


def ensure_patron(env):
    users = env["res.users"].with_context(no_reset_password=True)
    if users.search_count([("login", "=", PATRON_LOGIN)]):
        return
    users.create(
        {
            "name": "Bench Patron",
            "login": PATRON_LOGIN,
            "password": PATRON_PASSWORD,
            "email": "bench.patron@example.com",
            "group_ids": [Command.set([env.ref("base.group_portal").id])],
        }
    )


def last_ticket_id(registry):
    with registry.cursor() as cr:
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM helpdesk_ticket")
        return cr.fetchone()[0]


def tickets_after(registry, ticket_id):
    """(count, distinct numbers, distinct tracking codes, all anonymous, codes)."""
    with registry.cursor() as cr:
        cr.execute(
            """SELECT COUNT(*), COUNT(DISTINCT number), COUNT(DISTINCT tracking_code),
                      COALESCE(BOOL_AND(is_anonymous), FALSE),
                      ARRAY_AGG(tracking_code)
                 FROM helpdesk_ticket WHERE id > %s""",
            [ticket_id],
        )
        return cr.fetchone()


# --------------------------------------------------------------------------
# 1. ORM


def queries_to_create(env, vals):
    """Queries of one create(), with what a commit would run: flush and pre-commit
    hooks (mail tracking). The transaction is rolled back afterwards."""
    before = sql_db.sql_counter
    env["helpdesk.ticket"].create(dict(vals))
    env.cr.flush()
    return sql_db.sql_counter - before


def ticket_values(env):
    """(complaint values, the same without library_complaints' fields)."""
    plain = {
        "name": "Bench ticket",
        "description": "<p>The printer on the 2nd floor is out of paper.</p>",
        "team_id": env.ref(f"{ADDON}.team_library_service_desk").id,
        "channel_id": env.ref(f"{ADDON}.channel_walk_in").id,
    }
    complaint = dict(
        plain,
        service_id=env.ref(f"{ADDON}.service_information").id,
        track_id=env.ref(f"{ADDON}.track_3_satisfaction").id,
        location="Reading room, 2nd floor",
    )
    return complaint, plain


def bench_orm(registry):
    say(f"==> 1. ORM: SQL queries per ticket created ({RUNS} each, after {WARMUP} warm-up)")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env = env(user=env.ref("base.user_admin"))
        complaint_vals, plain_vals = ticket_values(env)
        escalated_vals = dict(
            complaint_vals, track_id=env.ref(f"{ADDON}.track_2_escalate_heads").id
        )
        counts = {"complaint": [], "plain": [], "escalated": []}
        for i in range(WARMUP + RUNS):
            complaint = queries_to_create(env, complaint_vals)
            plain = queries_to_create(env, plain_vals)
            escalated = queries_to_create(env, escalated_vals)
            if i >= WARMUP:
                counts["complaint"].append(complaint)
                counts["plain"].append(plain)
                counts["escalated"].append(escalated)
        cr.rollback()
    say(f"    complaint (+ service, track 3, location): {describe(counts['complaint'])}")
    say(f"    plain helpdesk_mgmt ticket:               {describe(counts['plain'])}")
    say(
        "    for information, a track 2 complaint, escalated at once "
        f"(log, chatter, approval): {describe(counts['escalated'])}"
    )
    return check_ratio("complaint / plain ticket", counts["complaint"], counts["plain"])


# --------------------------------------------------------------------------
# Odoo servers


class OdooServer:
    """An Odoo server subprocess on a free loopback port, logging to its own file."""

    def __init__(self, db, workers, log):
        self.db = db
        self.workers = workers
        self.log = log
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def command(self):
        cmd = [ODOO_BIN, "-c", ODOO_CONF, "-d", self.db, "--db-filter", f"^{self.db}$"]
        cmd += ["--http-interface", "127.0.0.1", "--http-port", self.port]
        cmd += ["--gevent-port", free_port(), "--workers", self.workers]
        cmd += ["--max-cron-threads", 0, "--logfile", self.log]
        return [str(c) for c in cmd]

    def start(self):
        self.log.unlink(missing_ok=True)
        with open(self.log.with_suffix(".out"), "w") as out:
            self.proc = subprocess.Popen(
                self.command(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_ready()

    def wait_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"Odoo exited with {self.proc.returncode}; see {self.log}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base_url}/web/login", timeout=10).status_code == 200:
                    return
            time.sleep(0.5)
        raise BenchError(f"Odoo did not answer within {SERVER_START_TIMEOUT}s; see {self.log}")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=SERVER_STOP_TIMEOUT)

    def log_size(self):
        return self.log.stat().st_size if self.log.exists() else 0

    def request_lines(self, since):
        """(method, path, status, queries) of the requests logged after offset since."""
        with open(self.log, errors="replace") as log:
            log.seek(since)
            matches = (REQUEST_LINE.search(line) for line in log)
            return [
                (m["method"], m["path"], int(m["status"]), int(m["queries"])) for m in matches if m
            ]


@contextlib.contextmanager
def odoo_server(db, workers, name):
    server = OdooServer(db, workers, LOG_DIR / f"{name}.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


def log_errors(log):
    if not log.exists():
        return []
    return [line for line in log.read_text(errors="replace").splitlines() if LOG_ERROR.match(line)]


def report_log_errors(log):
    errors = log_errors(log)
    say(f"    server log: {len(errors)} ERROR/CRITICAL line(s) ({log})")
    for line in errors[:5]:
        say(f"      {line[:300]}")
    return not errors


# --------------------------------------------------------------------------
# HTTP clients


def new_session():
    """A client that opens a connection per request, as a person filling in a form
    would after a while (Odoo's workers close idle connections after 2 s)."""
    session = requests.Session()
    session.trust_env = False  # loopback only: no proxy from the environment
    session.headers["Connection"] = "close"
    return session


def fetch_csrf_token(session, url):
    response = session.get(url, timeout=HTTP_TIMEOUT)
    if response.status_code != 200:
        raise BenchError(f"GET {url} answered {response.status_code}")
    tag = CSRF_INPUT.search(response.text)
    value = tag and INPUT_VALUE.search(tag.group(0))
    if not value:
        raise BenchError(f"GET {url}: no csrf_token in the page")
    return value.group(1)


def post_anonymous_complaint(session, base_url, token, service_id, i):
    data = {
        "name": f"Bench anonymous complaint {i}",
        "description": "The printer on the 2nd floor is out of paper.",
        "service_id": service_id,
        "location": "Reading room, 2nd floor",
        "website_url": "",
        "csrf_token": token,
    }
    url = f"{base_url}{ANONYMOUS_SUBMIT}"
    return session.post(url, data=data, timeout=HTTP_TIMEOUT, allow_redirects=False)


def post_portal_ticket(session, base_url, token, service_id, i):
    data = {
        "subject": f"Bench portal complaint {i}",
        "description": "The printer on the 2nd floor is out of paper.",
        "service": service_id,
        "location": "Reading room, 2nd floor",
        "csrf_token": token,
    }
    url = f"{base_url}{PORTAL_SUBMIT}"
    return session.post(url, data=data, timeout=HTTP_TIMEOUT, allow_redirects=False)


def check_anonymous_response(response):
    if response.status_code != 200 or not TRACKING_CODE.search(response.text):
        raise BenchError(
            f"POST {ANONYMOUS_SUBMIT} answered {response.status_code} without a tracking code"
        )


def check_portal_response(response):
    location = response.headers.get("Location", "")
    if response.status_code not in (302, 303) or "/my/ticket/" not in location:
        raise BenchError(f"POST {PORTAL_SUBMIT} answered {response.status_code}, not a redirect")


def portal_login(base_url):
    session = new_session()
    token = fetch_csrf_token(session, f"{base_url}/web/login")
    data = {"login": PATRON_LOGIN, "password": PATRON_PASSWORD, "csrf_token": token}
    response = session.post(
        f"{base_url}/web/login", data=dict(data, redirect="/my"), timeout=HTTP_TIMEOUT
    )
    if response.status_code != 200 or "/web/login" in response.url:
        raise BenchError(f"the portal patron {PATRON_LOGIN} could not sign in")
    return session


# --------------------------------------------------------------------------
# 2. HTTP, sequential


def submit_both(base_url, sessions, service_id, i):
    """One anonymous and one portal submission, each checked."""
    anonymous, portal = sessions
    check_anonymous_response(
        post_anonymous_complaint(anonymous["session"], base_url, anonymous["token"], service_id, i)
    )
    check_portal_response(
        post_portal_ticket(portal["session"], base_url, portal["token"], service_id, i)
    )


def open_form_sessions(base_url):
    anonymous = new_session()
    anonymous_token = fetch_csrf_token(anonymous, f"{base_url}/complaint")
    portal = portal_login(base_url)
    portal_token = fetch_csrf_token(portal, f"{base_url}/new/ticket")
    return (
        {"session": anonymous, "token": anonymous_token},
        {"session": portal, "token": portal_token},
    )


def logged_queries(lines, path, count):
    queries = [q for method, p, _status, q in lines if method == "POST" and p == path]
    if len(queries) != count:
        raise BenchError(f"expected {count} logged POST {path} requests, found {len(queries)}")
    return queries


def bench_http(db, service_id):
    say(
        f"==> 2. HTTP: SQL queries per form submission ({RUNS} each, after {WARMUP} "
        "warm-up; Odoo --workers 0, counted in its request log)"
    )
    with odoo_server(db, 0, "http-workers0") as server:
        sessions = open_form_sessions(server.base_url)
        for i in range(WARMUP):
            submit_both(server.base_url, sessions, service_id, i)
        since = server.log_size()
        for i in range(RUNS):
            submit_both(server.base_url, sessions, service_id, WARMUP + i)
        lines = server.request_lines(since)
    anonymous = logged_queries(lines, ANONYMOUS_SUBMIT, RUNS)
    portal = logged_queries(lines, PORTAL_SUBMIT, RUNS)
    say(f"    anonymous POST {ANONYMOUS_SUBMIT} (page with the code):  {describe(anonymous)}")
    say(f"    portal POST {PORTAL_SUBMIT} (redirect to the ticket): {describe(portal)}")
    ok = check_ratio("anonymous / portal", anonymous, portal)
    return report_log_errors(server.log) and ok


# --------------------------------------------------------------------------
# 3. HTTP, concurrent


@dataclass
class Submission:
    status: int | None = None
    code: str | None = None
    latency: float = 0.0
    resets: int = 0
    error: str | None = None


def with_retries(result, send):
    """send() again, at most CONNECTION_RETRIES times, when the connection is reset.

    With no proxy in front, the kernel resets some of the 50 simultaneous
    connections: Odoo's workers listen with a backlog of only 8 per worker.
    The database check afterwards proves that no retry stored a complaint twice.
    """
    for attempt in range(CONNECTION_RETRIES + 1):
        try:
            return send()
        except requests.ConnectionError:
            if attempt == CONNECTION_RETRIES:
                raise
            result.resets += 1
            time.sleep(0.2 * (attempt + 1))
    return None


def submit_concurrently(base_url, service_id, barrier, i):
    """Fetch the form, wait for the others, then post; never raises."""
    session = new_session()
    result = Submission()
    token = None
    try:
        token = with_retries(result, lambda: fetch_csrf_token(session, f"{base_url}/complaint"))
    except (BenchError, requests.RequestException) as exc:
        result.error = f"form: {exc}"
    barrier.wait()
    if token is None:
        return result
    start = time.perf_counter()
    try:
        response = with_retries(
            result, lambda: post_anonymous_complaint(session, base_url, token, service_id, i)
        )
    except requests.RequestException as exc:
        result.error = f"submit: {exc}"
        return result
    result.latency = time.perf_counter() - start
    result.status = response.status_code
    code = TRACKING_CODE.search(response.text)
    result.code = code and code.group(0)
    return result


def run_burst(base_url, service_id):
    """CONCURRENT submissions; (results, seconds of the burst of posts)."""
    barrier = threading.Barrier(CONCURRENT + 1, timeout=SERVER_START_TIMEOUT)
    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        futures = [
            pool.submit(submit_concurrently, base_url, service_id, barrier, i)
            for i in range(CONCURRENT)
        ]
        barrier.wait()
        start = time.perf_counter()
        results = [future.result() for future in futures]
    return results, time.perf_counter() - start


def kernel_tcp_counters():
    """This network namespace's TcpExt counters (Linux), {} when unreadable."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return {}
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            return dict(zip(names.split()[1:], map(int, values.split()[1:]), strict=False))
    return {}


def report_connection_resets(results, counters_before):
    resets = sum(r.resets for r in results)
    after = kernel_tcp_counters()
    overflows, failed_cookies = (
        after.get(name, 0) - counters_before.get(name, 0)
        for name in ("ListenOverflows", "SyncookiesFailed")
    )
    say(
        f"    connections reset and retried: {resets} (kernel: {overflows} listen-queue "
        f"overflows, {failed_cookies} failed SYN cookies)"
    )


def check_burst_results(results, stored):
    count, numbers, codes, all_anonymous, stored_codes = stored
    answered = [r for r in results if r.status == 200 and r.code]
    failed = [r for r in results if r not in answered]
    shown = {r.code for r in answered}
    say(f"    HTTP: {len(answered)} answered 200 with a tracking code, {len(failed)} failed")
    for result in failed[:5]:
        say(f"      failed: status {result.status}, {result.error or 'no tracking code'}")
    say(
        f"    database: {count} new complaints, {numbers} distinct numbers, {codes} distinct "
        f"tracking codes, all anonymous: {all_anonymous}"
    )
    same_codes = shown == set(stored_codes or [])
    say(f"    the codes shown are the codes stored: {same_codes}")
    expected = (CONCURRENT, CONCURRENT, CONCURRENT, True)
    return not failed and (count, numbers, codes, all_anonymous) == expected and same_codes


def bench_concurrency(db, registry, service_id):
    say(
        f"==> 3. {CONCURRENT} concurrent anonymous submissions, Odoo --workers 2 "
        f"({RATE_LIMIT_PARAM} set to {RATE_LIMIT} in {db}: they all come from 127.0.0.1)"
    )
    with odoo_server(db, 2, "concurrency-workers2") as server:
        before = last_ticket_id(registry)
        counters = kernel_tcp_counters()
        results, wall = run_burst(server.base_url, service_id)
    ok = check_burst_results(results, tickets_after(registry, before))
    report_connection_resets(results, counters)
    latencies = [r.latency for r in results if r.status is not None]
    say(f"    wall time of the {CONCURRENT} concurrent posts: {wall:.2f}s")
    if latencies:
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        say(f"    POST latency: p50 {p50:.3f}s, p95 {p95:.3f}s, max {max(latencies):.3f}s")
    return report_log_errors(server.log) and ok


# --------------------------------------------------------------------------


def parse_args(argv, doc=__doc__, default_db=DEFAULT_DB):
    """--db and --reuse, shared by every benchmark script."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", default=default_db, help=f"database name (default {default_db})")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database when it exists (no install)"
    )
    return parser.parse_args(argv)


def run_benchmark(args):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    configure_odoo(args.db)
    prepare_database(args.db, args.reuse)
    registry = Registry(args.db)
    service_id = prepare_bench_data(registry)
    results = {
        "ORM queries": bench_orm(registry),
        "HTTP queries": bench_http(args.db, service_id),
        "concurrency": bench_concurrency(args.db, registry, service_id),
    }
    failed = [name for name, ok in results.items() if not ok]
    say(f"==> {'FAILED: ' + ', '.join(failed) if failed else 'all targets met'}")
    return 1 if failed else 0


def run_main(benchmark, args):
    """Run a benchmark script: 0 when its targets are met, 1 when not, 2 when it
    cannot run, 130 when interrupted."""
    if not ODOO_CONF.exists():
        say(f"error: {ODOO_CONF} is missing: run ./dev setup first")
        return 2
    try:
        return benchmark(args)
    except BenchError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        say("interrupted")
        return 130


def main(argv=None):
    return run_main(run_benchmark, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
