"""Benchmark of library_complaints against helpdesk_mgmt alone, and concurrent submissions.

Run it with ``./dev bench``, or with ``.local/venv/bin/python bench/bench_complaints.py``
once PostgreSQL runs (``./dev setup`` starts it). It creates two databases without demo
data, with the same Odoo, in the same run (``--reuse`` keeps existing ones):
``library_bench`` (``odoo -i library_complaints``) and ``library_bench_baseline``
(``odoo -i helpdesk_mgmt`` alone; ``--baseline-db`` names another), and compares:

1. ORM ``create()`` as admin, with what a commit runs (flush, pre-commit hooks): a
   complaint (service, track 3, location) in the first against a plain ticket in the
   second: SQL queries and time per single create (50 each, interleaved, after 5
   warm-up; targets: ratio <= 1.3 in queries, <= 1.5 in median time), and a batch of
   500 in one ``create()`` (median of 3, for information);
2. the SQL queries per form submission, as counted by Odoo itself in its request log
   lines on a server with ``--workers 0``: library_complaints' anonymous POST
   /complaint/submit and its portal POST /submitted/ticket (a portal patron signed in),
   each against helpdesk_mgmt's portal POST /submitted/ticket on the baseline database
   (target: ratio <= 1.3 each);
3. 50 concurrent anonymous submissions against a server with ``--workers 2``: every
   one answered, stored once, with its own number and tracking code, no ERROR logged.

It prints the side-by-side table (figure | helpdesk_mgmt alone | library_complaints |
ratio | target), and exits with 1 when a figure misses its target or a check fails, 2
when it cannot run (no PostgreSQL, an install fails, a server does not start). It stops
the Odoo servers it started, and leaves PostgreSQL running.
"""

import argparse
import contextlib
import hashlib
import math
import os
import re
import shutil
import signal
import socket
import statistics
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
BASELINE_MODULE = "helpdesk_mgmt"
DEFAULT_DB = "library_bench"
BASELINE_SUFFIX = "_baseline"
BASELINE_TEAM = "Bench service desk"

RUNS = 50
WARMUP = 5
BATCH = 500
BATCH_RUNS = 3
CONCURRENT = 50
QUERY_RATIO = 1.3  # queries per create, and per form submission
TIME_RATIO = 1.5  # median time per single create
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
DESCRIPTION = "The printer on the 2nd floor is out of paper."
LOCATION = "Reading room, 2nd floor"

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


def describe_ms(seconds):
    """Median and quartiles of durations, in milliseconds."""
    q1, median, q3 = (1000 * q for q in statistics.quantiles(seconds, n=4))
    return f"median {median:.1f} ms (quartiles {q1:.1f}-{q3:.1f} ms)"


@dataclass
class Figure:
    """One row of the side-by-side table: the values measured on each database.

    Query counts compare their means, durations their medians.
    """

    label: str
    baseline: list
    addon: list
    unit: str = "queries"  # or "ms", "s"
    target: float | None = None
    baseline_note: str = ""
    addon_note: str = ""

    def value(self, values):
        return mean(values) if self.unit == "queries" else statistics.median(values)

    @property
    def ratio(self):
        return self.value(self.addon) / self.value(self.baseline)

    @property
    def met(self):
        return self.target is None or self.ratio <= self.target

    def cell(self, values, note):
        value = self.value(values)
        if self.unit == "ms":
            text = f"{1000 * value:.1f} ms"
        elif self.unit == "s":
            text = f"{value:.2f} s"
        elif min(values) == max(values):
            text = f"{value:g}"
        else:
            text = f"{value:.1f} ({min(values)}-{max(values)})"
        return f"{text} ({note})" if note else text

    def row(self):
        target = "" if self.target is None else f"<= {self.target}"
        if not self.met:
            target += " MISSED"
        return [
            self.label,
            self.cell(self.baseline, self.baseline_note),
            self.cell(self.addon, self.addon_note),
            f"{self.ratio:.2f}",
            target,
        ]


def print_table(figures):
    """The figures as a Markdown table, columns aligned."""
    rows = [["figure", "helpdesk_mgmt alone", ADDON, "ratio", "target"]]
    rows += [figure.row() for figure in figures]
    widths = [max(len(row[col]) for row in rows) for col in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    for line in lines:
        say(line)


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


def run_odoo_init(db, module, update=False):
    """odoo -i module (without demo data), or -u module, in db; raise when it fails."""
    verb = "update" if update else "install"
    log = LOG_DIR / f"{verb}-{db}.log"
    log.unlink(missing_ok=True)
    options = ["-u", module] if update else ["-i", module, "--without-demo"]
    say(f"==> {db}: odoo {' '.join(options)} (a minute or two; log: {log})")
    cmd = [ODOO_BIN, "-c", ODOO_CONF, "-d", db, *options, "--stop-after-init", "--no-http"]
    cmd += ["--logfile", log]
    with open(log.with_suffix(".out"), "w") as out:
        proc = subprocess.run(
            [str(c) for c in cmd], stdout=out, stderr=subprocess.STDOUT, check=False, timeout=1800
        )
    if proc.returncode != 0 or log_errors(log):
        raise BenchError(f"the {verb} of {module} in {db} failed; see {log}")


def addon_digest():
    """A digest of the addon's files, to update a reused database when they changed."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / ADDON).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_database(db, reuse, module=ADDON):
    """Create db with module, or reuse it (updating the addon when its files changed)."""
    try:
        exists = database_exists(db)
    except psycopg2.OperationalError as exc:
        raise BenchError(f"PostgreSQL does not answer (run ./dev setup first): {exc}") from exc
    stamp = LOG_DIR / f"{db}.digest"
    digest = addon_digest() if module == ADDON else ""
    if exists and reuse:
        built = stamp.read_text() if stamp.exists() else None
        if digest and built != digest:
            run_odoo_init(db, module, update=True)
        else:
            say(f"==> Reusing database {db}")
    else:
        stamp.unlink(missing_ok=True)
        drop_database(db)
        run_odoo_init(db, module)
    stamp.write_text(digest)


def prepare_bench_data(registry):
    """Committed: the rate limit raised, its counts cleared, a portal patron."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param(RATE_LIMIT_PARAM, str(RATE_LIMIT))
        env["library.complaint.rate.limit"].search([]).unlink()
        ensure_patron(env)
        return env.ref(f"{ADDON}.service_information").id


def prepare_baseline_data(registry):
    """Committed, in the helpdesk_mgmt-only database: a team, the portal patron."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        installed = env["ir.module.module"].search_count(
            [("name", "=", ADDON), ("state", "=", "installed")]
        )
        if installed:
            raise BenchError(f"{registry.db_name} has {ADDON}: it cannot be the baseline")
        teams = env["helpdesk.ticket.team"]
        if not teams.search_count([("name", "=", BASELINE_TEAM)]):
            teams.create({"name": BASELINE_TEAM, "show_in_portal": True})
        ensure_patron(env)


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


def admin_env(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    return env(user=env.ref("base.user_admin"))


def create_and_flush(env, vals_list):
    """(queries, seconds) of one create(), with what a commit would run: flush and
    pre-commit hooks (mail tracking). The caller rolls the transaction back."""
    before = sql_db.sql_counter
    start = time.perf_counter()
    env["helpdesk.ticket"].create(vals_list)
    env.cr.flush()
    return sql_db.sql_counter - before, time.perf_counter() - start


def plain_ticket_values(env):
    """A plain helpdesk_mgmt ticket, in the baseline database."""
    return {
        "name": "Bench ticket",
        "description": f"<p>{DESCRIPTION}</p>",
        "team_id": env["helpdesk.ticket.team"].search([("name", "=", BASELINE_TEAM)]).id,
        "channel_id": env.ref("helpdesk_mgmt.helpdesk_ticket_channel_other").id,
    }


def complaint_values(env):
    """(a track 3 complaint, a track 2 complaint escalated at once) of library_complaints."""
    complaint = {
        "name": "Bench complaint",
        "description": f"<p>{DESCRIPTION}</p>",
        "team_id": env.ref(f"{ADDON}.team_library_service_desk").id,
        "channel_id": env.ref(f"{ADDON}.channel_walk_in").id,
        "service_id": env.ref(f"{ADDON}.service_information").id,
        "track_id": env.ref(f"{ADDON}.track_3_satisfaction").id,
        "location": LOCATION,
    }
    escalated = dict(complaint, track_id=env.ref(f"{ADDON}.track_2_escalate_heads").id)
    return complaint, escalated


@contextlib.contextmanager
def rolled_back(registry):
    """An admin environment whose transaction is rolled back at the end."""
    with registry.cursor() as cr:
        try:
            yield admin_env(cr)
        finally:
            cr.rollback()


def bench_single_creates(plain_env, addon_env):
    """{kind: [(queries, seconds)]} of single creates, the databases taking turns."""
    plain_vals = plain_ticket_values(plain_env)
    complaint_vals, escalated_vals = complaint_values(addon_env)
    runs = {"plain": [], "complaint": [], "escalated": []}
    for i in range(WARMUP + RUNS):
        measured = {
            "plain": create_and_flush(plain_env, dict(plain_vals)),
            "complaint": create_and_flush(addon_env, dict(complaint_vals)),
            "escalated": create_and_flush(addon_env, dict(escalated_vals)),
        }
        if i >= WARMUP:
            for kind, result in measured.items():
                runs[kind].append(result)
    plain_env.cr.rollback()
    addon_env.cr.rollback()
    return runs


def bench_batches(plain_env, addon_env):
    """(plain, complaint) seconds of BATCH records in one create(), BATCH_RUNS each."""
    plain_vals = plain_ticket_values(plain_env)
    complaint_vals = complaint_values(addon_env)[0]
    plain, complaint = [], []
    for _run in range(BATCH_RUNS):
        for env, vals, seconds in (
            (plain_env, plain_vals, plain),
            (addon_env, complaint_vals, complaint),
        ):
            seconds.append(create_and_flush(env, [dict(vals) for _i in range(BATCH)])[1])
            env.cr.rollback()
    return plain, complaint


def bench_orm(registry, baseline_registry):
    """The ORM figures of the table."""
    say(
        f"==> 1. ORM create() + flush as admin: {RUNS} single creates each after {WARMUP} "
        f"warm-up, the databases taking turns; {BATCH_RUNS} batches of {BATCH}"
    )
    with rolled_back(baseline_registry) as plain_env, rolled_back(registry) as addon_env:
        runs = bench_single_creates(plain_env, addon_env)
        plain_batch, complaint_batch = bench_batches(plain_env, addon_env)
    queries = {kind: [q for q, _s in values] for kind, values in runs.items()}
    seconds = {kind: [t for _q, t in values] for kind, values in runs.items()}
    for kind, label in (
        ("plain", "plain ticket, helpdesk_mgmt alone:"),
        ("complaint", "complaint (service, track 3, location):"),
        ("escalated", "for information, a track 2 complaint escalated at once:"),
    ):
        say(f"    {label:<56} {describe(queries[kind])} queries, {describe_ms(seconds[kind])}")
    for label, values in (("plain tickets", plain_batch), ("complaints", complaint_batch)):
        times = ", ".join(f"{t:.2f}" for t in values)
        say(f"    batch of {BATCH} {label}: {times} s")
    return [
        Figure(
            "SQL queries per create (create + flush + pre-commit)",
            queries["plain"],
            queries["complaint"],
            target=QUERY_RATIO,
        ),
        Figure(
            f"time per single create (median of {RUNS})",
            seconds["plain"],
            seconds["complaint"],
            unit="ms",
            target=TIME_RATIO,
        ),
        Figure(
            f"batch of {BATCH} creates (median of {BATCH_RUNS})",
            plain_batch,
            complaint_batch,
            unit="s",
        ),
    ]


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
        "description": DESCRIPTION,
        "service_id": service_id,
        "location": LOCATION,
        "website_url": "",
        "csrf_token": token,
    }
    url = f"{base_url}{ANONYMOUS_SUBMIT}"
    return session.post(url, data=data, timeout=HTTP_TIMEOUT, allow_redirects=False)


def post_portal_ticket(session, base_url, token, i, **fields):
    """helpdesk_mgmt's /new/ticket form; fields: what library_complaints' form adds."""
    data = {
        "subject": f"Bench portal ticket {i}",
        "description": DESCRIPTION,
        "csrf_token": token,
        **fields,
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
        post_portal_ticket(
            portal["session"], base_url, portal["token"], i, service=service_id, location=LOCATION
        )
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


def measure_submissions(server, submit):
    """The server's request log lines of submit(i), RUNS times after WARMUP warm-up."""
    for i in range(WARMUP):
        submit(i)
    since = server.log_size()
    for i in range(RUNS):
        submit(WARMUP + i)
    return server.request_lines(since)


def bench_http_addon(db, service_id):
    """(anonymous queries, portal queries, no ERROR logged) on library_complaints."""
    with odoo_server(db, 0, "http-workers0") as server:
        sessions = open_form_sessions(server.base_url)
        lines = measure_submissions(
            server, lambda i: submit_both(server.base_url, sessions, service_id, i)
        )
    anonymous = logged_queries(lines, ANONYMOUS_SUBMIT, RUNS)
    portal = logged_queries(lines, PORTAL_SUBMIT, RUNS)
    return anonymous, portal, report_log_errors(server.log)


def bench_http_baseline(db):
    """(portal queries, no ERROR logged) of helpdesk_mgmt alone."""
    with odoo_server(db, 0, "http-baseline-workers0") as server:
        session = portal_login(server.base_url)
        token = fetch_csrf_token(session, f"{server.base_url}/new/ticket")
        lines = measure_submissions(
            server,
            lambda i: check_portal_response(post_portal_ticket(session, server.base_url, token, i)),
        )
    return logged_queries(lines, PORTAL_SUBMIT, RUNS), report_log_errors(server.log)


def bench_http(db, baseline_db, service_id):
    """The form submission figures of the table, and whether no ERROR was logged."""
    say(
        f"==> 2. HTTP: SQL queries per form submission ({RUNS} each, after {WARMUP} "
        "warm-up; Odoo --workers 0, counted in its request log)"
    )
    baseline, baseline_ok = bench_http_baseline(baseline_db)
    anonymous, portal, addon_ok = bench_http_addon(db, service_id)
    say(f"    helpdesk_mgmt alone, portal POST {PORTAL_SUBMIT}: {describe(baseline)}")
    say(f"    {ADDON}, anonymous POST {ANONYMOUS_SUBMIT}:  {describe(anonymous)}")
    say(f"    {ADDON}, portal POST {PORTAL_SUBMIT}:     {describe(portal)}")
    baseline_note = f"portal POST {PORTAL_SUBMIT}"
    figures = [
        Figure(
            "SQL queries per anonymous form submission",
            baseline,
            anonymous,
            target=QUERY_RATIO,
            baseline_note=baseline_note,
            addon_note=f"POST {ANONYMOUS_SUBMIT}",
        ),
        Figure(
            "SQL queries per portal form submission",
            baseline,
            portal,
            target=QUERY_RATIO,
            baseline_note=baseline_note,
            addon_note=baseline_note,
        ),
    ]
    return figures, baseline_ok and addon_ok


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


def argument_parser(doc, default_db):
    """--db and --reuse, shared by every benchmark script."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", default=default_db, help=f"database name (default {default_db})")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database when it exists (no install)"
    )
    return parser


def parse_args(argv, doc=__doc__, default_db=DEFAULT_DB):
    return argument_parser(doc, default_db).parse_args(argv)


def run_benchmark(args):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    configure_odoo(args.db)
    baseline_db = args.baseline_db or f"{args.db}{BASELINE_SUFFIX}"
    prepare_database(baseline_db, args.reuse, BASELINE_MODULE)
    prepare_database(args.db, args.reuse)
    baseline_registry = Registry(baseline_db)
    prepare_baseline_data(baseline_registry)
    registry = Registry(args.db)
    service_id = prepare_bench_data(registry)
    figures = bench_orm(registry, baseline_registry)
    http_figures, http_ok = bench_http(args.db, baseline_db, service_id)
    figures += http_figures
    concurrency_ok = bench_concurrency(args.db, registry, service_id)
    say(f"==> {ADDON} ({args.db}) against helpdesk_mgmt alone ({baseline_db})")
    print_table(figures)
    failed = [figure.label for figure in figures if not figure.met]
    failed += [] if http_ok else ["ERROR in the server log of the form submissions"]
    failed += [] if concurrency_ok else ["concurrent submissions"]
    say(f"==> {'FAILED: ' + '; '.join(failed) if failed else 'all targets met'}")
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
    parser = argument_parser(__doc__, DEFAULT_DB)
    parser.add_argument(
        "--baseline-db",
        help=f"the database with {BASELINE_MODULE} alone (default: the --db name + "
        f"{BASELINE_SUFFIX})",
    )
    return run_main(run_benchmark, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
