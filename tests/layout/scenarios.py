"""The layout's suite, run by ``./dev test --layout`` (tools/layout.py), not by pytest:
it starts the production-like layout (nginx, Odoo workers, a PostgreSQL primary and a
synchronous streaming replica) on free ports and tries it as its users and its
operator would, through nginx:

1. 50 anonymous visitors send the complaint form at once (each from its own address:
   the per-sender limit counts the address nginx forwards);
2. staff save then read at once, 20 times, on a replica made to lag on purpose;
3. a web worker is killed (SIGKILL) while complaints are being sent;
4. the replica is stopped and started again while people use the site.

Only the standard library: it runs with the system Python, like tools/dev.py.
"""

import collections
import http.client
import json
import os
import re
import statistics
import threading
import time
import urllib.parse
import uuid

LAYOUT_DB = "library_layout_test"
WORKERS = 4
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SERVICE_RE = re.compile(r'<option[^>]*value="(\d+)"')
CODE_RE = re.compile(r'o_complaint_tracking_code">([A-Z2-9]{5}-[A-Z2-9]{5})<')
MARKER_RE = r"LAYOUT-[0-9a-f]+-[a-z0-9]+-[0-9]+"


class Client:
    """A browser, as far as the tests need one: cookies, forms, JSON-RPC; each from
    its own loopback address (nginx sees 127.0.x.y and forwards it to Odoo)."""

    def __init__(self, port, source="127.0.0.1", timeout=180):
        self.port = port
        self.source = source
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            location = response.getheader("Location")
        finally:
            conn.close()
        if response.status in (301, 302, 303) and location and method == "GET":
            return self.request("GET", urllib.parse.urlsplit(location).path or "/")
        return response.status, text

    def get(self, path):
        return self.request("GET", path)

    def post_multipart(self, path, fields):
        """A form post as the browser sends the complaint form (multipart)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""'
            "\r\nContent-Type: application/octet-stream\r\n\r\n\r\n"
        )
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, body=body, headers=headers)

    def jsonrpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1})
        status, text = self.request(
            "POST", path, body=body.encode(), headers={"Content-Type": "application/json"}
        )
        if status != 200:
            return status, None, text[:300]
        reply = json.loads(text)
        error = reply.get("error")
        return status, reply.get("result"), error and error.get("data", {}).get("message")

    def call_kw(self, model, method, args, kwargs=None):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        return self.jsonrpc(f"/web/dataset/call_kw/{model}.{method}", params)


# --------------------------------------------------------------------------
# helpers


def percentile(values, pct):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def open_form(client):
    status, html = client.get("/complaint")
    if status != 200:
        raise AssertionError(f"GET /complaint: {status}")
    return CSRF_RE.search(html).group(1), SERVICE_RE.search(html).group(1)


def form_fields(token, service, marker):
    return {
        "csrf_token": token,
        "name": "The reading room lights flicker",
        "description": f"They flicker every evening ({marker}).",
        "service_id": service,
        "location": "Reading room 2",
        "date_observed": "",
        "website_url": "",
    }


def submit_all(ctx, tag, sources, during=None):
    """Each source opens the form, then all send it at once; ``during`` runs while
    they are in flight. Returns [(marker, status, seconds, tracking code)]."""
    results = [None] * len(sources)
    barrier = threading.Barrier(len(sources) + 1)

    def visitor(i, source):
        client = Client(ctx["port"], source)
        marker = f"LAYOUT-{ctx['run']}-{tag}-{i}"
        try:
            fields = form_fields(*open_form(client), marker)
        except Exception as error:  # counted as a failed submission
            barrier.wait()
            results[i] = (marker, f"form: {error}", 0.0, None)
            return
        barrier.wait()
        start = time.monotonic()
        try:
            status, html = client.post_multipart("/complaint/submit", fields)
        except OSError as error:
            status, html = f"connection: {error}", ""
        code = CODE_RE.search(html)
        results[i] = (marker, status, time.monotonic() - start, code and code.group(1))

    threads = [
        threading.Thread(target=visitor, args=(i, s)) for i, s in enumerate(sources, start=0)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    extra = during() if during else None
    for thread in threads:
        thread.join()
    return results, extra


def stored_markers(ctx, tag):
    """{marker: [tracking codes]} of the complaints stored on the primary."""
    sql = (
        f"SELECT substring(description from '{MARKER_RE}'), tracking_code FROM helpdesk_ticket "
        f"WHERE description LIKE '%LAYOUT-{ctx['run']}-{tag}-%'"
    )
    stored = collections.defaultdict(list)
    for line in ctx["sql"](sql).splitlines():
        marker, _, code = line.partition("|")
        stored[marker].append(code)
    return stored


def compare(results, stored):
    """What was acknowledged (the success page and its code) against what was stored."""
    acknowledged = {marker: code for marker, status, _s, code in results if status == 200 and code}
    lost = [m for m in acknowledged if m not in stored]
    doubled = [m for m, codes in stored.items() if len(codes) > 1]
    wrong_code = [m for m, c in acknowledged.items() if m in stored and stored[m] != [c]]
    stored_unacknowledged = [m for m in stored if m not in acknowledged]
    return acknowledged, lost, doubled, wrong_code, stored_unacknowledged


def sources(block, count):
    return [f"127.0.{block}.{i + 1}" for i in range(count)]


# --------------------------------------------------------------------------
# the scenarios: each returns (name, passed, figures)


def warm_up(ctx):
    """Every worker loads the registry on its first request: not part of the figures."""
    results = []

    def hit():
        results.append(Client(ctx["port"]).get("/complaint")[0])

    threads = [threading.Thread(target=hit) for _ in range(WORKERS * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return "warm-up", all(s == 200 for s in results), f"{len(results)} GET /complaint"


def concurrent_submissions(ctx, count=50):
    results, _ = submit_all(ctx, "s1", sources(1, count))
    stored = stored_markers(ctx, "s1")
    acknowledged, lost, doubled, wrong, extra = compare(results, stored)
    errors = [r[1] for r in results if r[1] != 200]
    times = [r[2] for r in results if r[1] == 200]
    passed = len(acknowledged) == count and not (lost or doubled or wrong or extra or errors)
    figures = (
        f"{count} sent, {len(acknowledged)} acknowledged, {sum(map(len, stored.values()))} "
        f"stored, {len(doubled)} doubled, {len(errors)} errors {errors[:3] or ''}; POST "
        f"p50 {statistics.median(times) if times else float('nan'):.2f}s "
        f"p95 {percentile(times, 95):.2f}s max {max(times, default=0):.2f}s"
    )
    return f"{count} concurrent anonymous submissions", passed, figures


def save_then_read(ctx, client, service, tag, rounds):
    """Create then read at once, write then read at once, ``rounds`` times, as the
    web client does after a save. Returns (consistent rounds, problems, save times)."""
    consistent, problems, save_times = 0, [], []
    spec = {"specification": {"name": {}}}
    for i in range(rounds):
        name = f"Layout read-after-write {ctx['run']} {tag} {i}"
        values = {"name": name, "description": "<p>Saved then read.</p>", "service_id": service}
        start = time.monotonic()
        _s, rid, error = client.call_kw("helpdesk.ticket", "create", [values])
        save_times.append(time.monotonic() - start)
        if not rid:
            problems.append(f"create: {error}")
            continue
        rid = rid[0] if isinstance(rid, list) else rid
        _s, rows, error = client.call_kw("helpdesk.ticket", "web_read", [[rid]], spec)
        seen_new = bool(rows) and rows[0]["name"] == name
        _s, _r, error2 = client.call_kw("helpdesk.ticket", "write", [[rid], {"name": name + "!"}])
        _s, rows2, error3 = client.call_kw("helpdesk.ticket", "web_read", [[rid]], spec)
        seen_edit = bool(rows2) and rows2[0]["name"] == name + "!"
        if seen_new and seen_edit:
            consistent += 1
        else:
            problems.append(error or error2 or error3 or f"stale read of {rid}")
    return consistent, problems, save_times


def staff_read_after_write(ctx, rounds=20, delay="200ms"):
    """Staff save then read at once, the reads (web_read is a read-only call) going to
    the replica, made to lag by ``delay``: first with the commit not waiting for the
    replica (synchronous_commit = local: the control, expected stale), then as the
    layout runs (remote_apply: every read sees the save)."""
    layout, state = ctx["layout"], ctx["state"]
    client = Client(ctx["port"])
    status, result, error = client.jsonrpc(
        "/web/session/authenticate",
        {"db": ctx["db"], "login": "lc_staff", "password": "lc_staff"},
    )
    if not result:
        return "staff save-then-read", False, f"sign-in failed: {status} {error}"
    service = int(open_form(Client(ctx["port"]))[1])
    layout.set_replica_apply_delay(state, delay)
    try:
        layout.set_primary_commit(state, "local")
        control, _p, control_times = save_then_read(ctx, client, service, "async", rounds // 2)
        layout.set_primary_commit(state, None)
        replica_before = ctx["replica_xacts"]()
        consistent, problems, save_times = save_then_read(ctx, client, service, "sync", rounds)
        on_replica = ctx["replica_xacts"]() - replica_before
    finally:
        layout.set_primary_commit(state, None)
        layout.set_replica_apply_delay(state, "0")
    figures = (
        f"{consistent}/{rounds} consistent with remote_apply (save p50 "
        f"{statistics.median(save_times) if save_times else float('nan'):.2f}s; "
        f"{on_replica} transactions served by the replica); control without it: "
        f"{control}/{rounds // 2} consistent (save p50 "
        f"{statistics.median(control_times) if control_times else float('nan'):.2f}s); "
        f"replica lagging {delay} on purpose" + (f"; {problems[:2]}" if problems else "")
    )
    return "staff save-then-read on a lagging replica", consistent == rounds, figures


def killed_worker(ctx, count=30):
    layout = ctx["layout"]
    before = layout.worker_pids()
    victim = {}

    def kill_one():
        time.sleep(0.3)  # the requests are in the workers
        pid = before[0]
        os.kill(pid, 9)
        victim.update(pid=pid, at=time.monotonic())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = layout.worker_pids()
            if len(now) >= len(before) and pid not in now:
                victim["replaced_in"] = time.monotonic() - victim["at"]
                return
            time.sleep(0.02)

    results, _ = submit_all(ctx, "s3", sources(2, count), during=kill_one)
    stored = stored_markers(ctx, "s3")
    acknowledged, lost, doubled, wrong, extra = compare(results, stored)
    failed = [r for r in results if r[1] != 200]
    statuses = collections.Counter(str(r[1]) for r in failed)
    passed = (
        not (lost or doubled or wrong)
        and len(failed) <= 1
        and len(extra) <= len(failed)
        and "replaced_in" in victim
    )
    replaced = victim.get("replaced_in")
    figures = (
        f"{count} sent, worker {victim.get('pid')} killed; {len(acknowledged)} acknowledged, "
        f"{sum(map(len, stored.values()))} stored, {len(lost)} acknowledged-but-lost, "
        f"{len(doubled)} doubled, {len(extra)} stored-unacknowledged; failed: "
        f"{dict(statuses) or 0}; replaced in "
        + (f"{replaced * 1000:.0f} ms" if replaced is not None else "NOT replaced")
    )
    return "web worker killed during submissions", passed, figures


class SiteInUse:
    """People using the site until stopped: visitors reading the public pages, one
    sending complaints, staff listing complaints; every answer recorded."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.seen = collections.Counter()
        self.bad = []  # 5xx and error replies: a failure
        self.other = []  # any other answer than 200: shown in the figures
        self.times = []
        self.threads = [threading.Thread(target=self.visitor, args=(n,)) for n in (1, 2)]
        self.threads += [threading.Thread(target=self.sender), threading.Thread(target=self.staff)]

    def record(self, what, call):
        start = time.monotonic()
        try:
            status = call()
        except (OSError, AttributeError, AssertionError) as error:
            status = f"error: {error}"
        with self.lock:
            self.seen[status if isinstance(status, int) else "error"] += 1
            self.times.append(time.monotonic() - start)
            if not isinstance(status, int) or status >= 500:
                self.bad.append(f"{what}: {status}")
            elif status != 200:
                self.other.append(f"{what}: {status}")

    def visitor(self, n):
        client = Client(self.ctx["port"], f"127.0.3.{n}")
        while not self.stop.is_set():
            for path in ("/complaint", "/complaints/outcomes", "/complaints/statistics"):
                self.record(path, lambda path=path: client.get(path)[0])

    def sender(self):
        i = 0
        while not self.stop.is_set():
            i += 1
            client = Client(self.ctx["port"], f"127.0.{4 + i // 250}.{i % 250 + 1}")
            marker = f"LAYOUT-{self.ctx['run']}-s4-{i}"

            def send(client=client, marker=marker):
                fields = form_fields(*open_form(client), marker)
                return client.post_multipart("/complaint/submit", fields)[0]

            self.record("submit", send)

    def staff(self):
        client = Client(self.ctx["port"])
        params = {"db": self.ctx["db"], "login": "lc_staff", "password": "lc_staff"}
        client.jsonrpc("/web/session/authenticate", params)

        def list_complaints():
            spec = {"specification": {"name": {}}, "limit": 80}
            status, _r, error = client.call_kw("helpdesk.ticket", "web_search_read", [[]], spec)
            return f"error: {error}" if error else status

        while not self.stop.is_set():
            self.record("staff list", list_complaints)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def replica_restart(ctx, down_seconds=2.0):
    """People keep using the site while the replica is stopped and started again."""
    layout, state = ctx["layout"], ctx["state"]
    warning = "Failed to open a readonly cursor"
    log_before = layout.ODOO_LOG.read_text().count(warning)
    with SiteInUse(ctx) as load:
        time.sleep(2)
        start = time.monotonic()
        how = layout.restart_replica(state, down_seconds=down_seconds)
        outage = time.monotonic() - start
        time.sleep(3)
    fallbacks = layout.ODOO_LOG.read_text().count(warning) - log_before
    total = sum(load.seen.values())
    figures = (
        f"{total} requests, statuses {dict(load.seen)}; replica stopped ({how}) and "
        f"started again in {outage:.1f}s; "
        f"slowest {max(load.times, default=0):.2f}s; {fallbacks} worker(s) fell back to "
        "the primary (logged)"
        + (f"; 5xx/errors: {load.bad[:3]}" if load.bad else "")
        + (f"; other answers: {load.other[:3]}" if load.other else "")
    )
    return "replica restart under use", not load.bad and total > 0, figures


SCENARIOS = (warm_up, concurrent_submissions, staff_read_after_write, killed_worker)
SCENARIOS += (replica_restart,)


def print_table(rows, conditions):
    print("\n==> layout suite results (" + conditions + ")", flush=True)
    width = max(len(name) for name, _p, _f in rows)
    for name, passed, figures in rows:
        print(f"  {'PASS' if passed else 'FAIL'}  {name:<{width}}  {figures}", flush=True)
    failed = sum(1 for _n, passed, _f in rows if not passed)
    print(f"layout: {len(rows) - failed} passed, {failed} failed", flush=True)


def run_all(layout, settings):
    dev = layout.dev
    port = dev.free_port()
    load = os.getloadavg()
    conditions = (
        f"{os.cpu_count()} CPUs, load average {load[0]:.1f} at start; {WORKERS} workers, "
        "1 cron worker, nginx, synchronous streaming replica"
    )
    state = layout.start(settings, dev.DEMO_DB, LAYOUT_DB, WORKERS, True, port, fresh=True)
    primary = layout.pg_admin_settings(state)
    replica = layout.pg_admin_settings(state, replica=True)
    ctx = {
        "layout": layout,
        "state": state,
        "port": port,
        "db": LAYOUT_DB,
        "run": uuid.uuid4().hex[:8],
        "sql": lambda sql: dev.psql_admin(primary, sql, db=LAYOUT_DB),
        "replica_xacts": lambda: int(
            dev.psql_admin(
                replica,
                f"SELECT xact_commit + xact_rollback FROM pg_stat_database "
                f"WHERE datname = '{LAYOUT_DB}'",
            )
        ),
    }
    rows = []
    # LC_LAYOUT_SCENARIOS=killed_worker,replica_restart runs only those (after the warm-up)
    wanted = os.environ.get("LC_LAYOUT_SCENARIOS")
    chosen = [s for s in SCENARIOS if not wanted or s is warm_up or s.__name__ in wanted]
    for scenario in chosen:
        dev.say(f"==> layout: {scenario.__name__}")
        try:
            rows.append(scenario(ctx))
        except Exception as error:  # reported in the table; the rest go on
            rows.append((scenario.__name__, False, f"{type(error).__name__}: {error}"))
        dev.say(f"    {'PASS' if rows[-1][1] else 'FAIL'}: {rows[-1][2]}")
    load = os.getloadavg()
    print_table(rows, f"{conditions}; load average {load[0]:.1f} at the end")
    return 0 if all(passed for _n, passed, _f in rows) else 1
