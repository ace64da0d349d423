"""`./dev upgrade-check REV`: the proof that upgrading keeps every complaint.

1. A git worktree of REV under .local/upgrade-check/ (removed afterwards); REV is a
   commit, a tag or a released version of tools/releases.json. A clone without
   tags or a shallow one: the recorded commit is fetched from origin, else a
   clear error.
2. A database with demo data from REV's addon (the same Odoo and helpdesk_mgmt,
   the addons path at REV's worktree).
3. Complaints at every stage, made through the workflow by the demo roles with
   the methods REV has (tools/upgrade_check_populate.py).
4. A snapshot of every complaint and of what hangs on it
   (tools/upgrade_check_snapshot.py), `-u library_complaints` with the addons
   path at the working tree, a snapshot again, and the two compared field by
   field: every difference is printed and fails the check.
5. The addon's schema at REV and in the working tree: when it changed and the
   manifest's version did not move, the check fails (Odoo's convention: the
   version moves with each schema or data change; data moves go in
   migrations/<version>/pre-*.py and post-*.py).

`./dev test` (the full run) runs it from the last release, in the background
from the start of the test database's install (`in_background`).

tools/dev.py imports this module (`upgrade_check_module()`); it imports dev.
"""

import ast
import json
import re
import shutil
import subprocess
import threading
import time

import dev

REPO = dev.ROOT  # the clone the revisions are looked up in
RELEASES = dev.ROOT / "tools" / "releases.json"
WORK = dev.LOCAL / "upgrade-check"
DB = f"{dev.TEST_DB}_upgrade_check"
MANIFEST = f"{dev.ADDON}/__manifest__.py"
DONE_MARK = "UPGRADE-CHECK-SCRIPT-DONE"
SHOWN_DIFFERENCES = 200  # on the console; the log has them all
# what the counts line names, in this order
COUNTED = {
    "helpdesk.ticket": "complaints",
    "mail.message": "messages",
    "mail.tracking.value": "tracking values",
    "ir.attachment": "attachments",
    "library.complaint.approval": "approval decisions",
    "library.complaint.escalation": "escalations",
    "library.complaint.meeting": "meetings",
    "library.complaint.meeting.item": "committee agenda items",
    "library.complaint.outcome": "outcomes",
    "library.complaint.notice": "notices",
    "survey.user_input": "survey answers",
}


def git(*args, check=True):
    proc = subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False
    )
    if check and proc.returncode != 0:
        raise dev.SetupError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc


# --------------------------------------------------------------------------
# releases and revisions


def releases():
    """{version: {"commit": sha, "tag": name}} of tools/releases.json."""
    return json.loads(RELEASES.read_text())["releases"]


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def last_release():
    return max(releases(), key=version_key)


def has_commit(sha):
    return git("rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}", check=False).returncode == 0


def resolve(rev):
    """The commit of REV (a released version, a tag, a commit); fetched from origin
    when this clone lacks it (no tags, shallow)."""
    known = releases()
    entry = known.get(rev) or next((e for e in known.values() if e.get("tag") == rev), None)
    wanted = entry["commit"] if entry else rev
    if not has_commit(wanted) and entry is None and not re.fullmatch(r"[0-9a-f]{7,40}", rev):
        raise dev.SetupError(
            f"{rev!r} is neither a commit of this clone, a tag, nor a released version of "
            f"{RELEASES.relative_to(dev.ROOT)} ({', '.join(sorted(known, key=version_key))})"
        )
    if not has_commit(wanted):
        fetch_missing(wanted)
    sha = git("rev-parse", f"{wanted}^{{commit}}").stdout.strip()
    if entry and entry.get("tag"):
        tagged = git("rev-parse", "--verify", "--quiet", f"{entry['tag']}^{{commit}}", check=False)
        if tagged.returncode == 0 and tagged.stdout.strip() != sha:
            raise dev.SetupError(
                f"tag {entry['tag']} is {tagged.stdout.strip()[:12]} but "
                f"{RELEASES.relative_to(dev.ROOT)} records {sha[:12]}: fix one of them"
            )
    return sha


def fetch_missing(sha):
    """A CI clone may be shallow or lack tags: fetch the commit from origin."""
    if "origin" not in git("remote").stdout.split():
        raise dev.SetupError(
            f"commit {sha} is not in this clone and it has no remote 'origin' to fetch it "
            "from: clone the whole history (git fetch --unshallow --tags)"
        )
    shallow = git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    attempts = [["fetch", "--quiet", "--no-tags", "origin", sha]]
    attempts.append(
        ["fetch", "--quiet", "--unshallow", "--tags", "origin"]
        if shallow
        else ["fetch", "--quiet", "--tags", "origin"]
    )
    for attempt in attempts:
        dev.say(f"    {sha[:12]} is not in this clone: git {' '.join(attempt)}")
        git(*attempt, check=False)
        if has_commit(sha):
            return
    raise dev.SetupError(
        f"commit {sha} is not in this clone, and fetching it from origin failed: "
        "clone the whole history (git fetch --unshallow --tags origin) and run again"
    )


def manifest_version(text):
    return ast.literal_eval(text)["version"]


# --------------------------------------------------------------------------
# the check


class Check:
    """One run; `out` prints (or buffers, in the background)."""

    def __init__(self, settings, sha, out=dev.say, keep_db=False):
        self.settings = settings
        self.sha = sha
        self.out = out
        self.keep_db = keep_db
        self.work = WORK / sha[:12]
        self.conf = WORK / f"odoo-{sha[:12]}.conf"
        self.timings = {}

    def step(self, name, func, *args):
        self.out(f"==> upgrade-check: {name}")
        start = time.monotonic()
        result = func(*args)
        self.timings[name] = time.monotonic() - start
        self.out(f"    done in {self.timings[name]:.1f}s")
        return result

    def run(self):
        start = time.monotonic()
        self.remove_worktree()
        WORK.mkdir(parents=True, exist_ok=True)
        git("worktree", "add", "--detach", "--quiet", str(self.work), self.sha)
        try:
            self.write_conf()
            self.step(f"install {dev.ADDON} {self.sha[:12]} with demo data in {DB}", self.install)
            before = self.step("complaints at every stage, then a snapshot", self.populate)
            self.step(f"odoo -u {dev.ADDON} with the working tree", self.upgrade)
            after = self.step("snapshot after the upgrade", self.snapshot)
        finally:
            self.remove_worktree()
            if not self.keep_db:
                dev.drop_db(self.settings, DB)
        problems = compare(before, after, self.out)
        problems += check_version(before, after, self.sha)
        times = ", ".join(f"{name.split(' ')[0]} {sec:.0f}s" for name, sec in self.timings.items())
        self.out(f"    upgrade-check took {time.monotonic() - start:.0f}s ({times})")
        if problems:
            raise dev.SetupError("upgrade-check failed:\n" + "\n".join(problems))
        self.out(f"    upgrade-check: {self.sha[:12]} upgrades to the working tree losing nothing")

    def remove_worktree(self):
        if self.work.exists():
            git("worktree", "remove", "--force", str(self.work), check=False)
            shutil.rmtree(self.work, ignore_errors=True)
        git("worktree", "prune", check=False)

    def write_conf(self):
        """odoo.conf with REV's worktree in place of the repository on the addons path."""
        lines = []
        for line in dev.ODOO_CONF.read_text().splitlines():
            if line.startswith("addons_path"):
                key, __, value = line.partition("=")
                paths = [p.strip() for p in value.split(",")]
                paths = [str(self.work) if p == str(dev.ROOT) else p for p in paths]
                line = f"{key.strip()} = {','.join(paths)}"
            lines.append(line)
        self.conf.write_text("\n".join(lines) + "\n")
        self.conf.chmod(0o600)

    def odoo(self, conf, *args, log):
        log.unlink(missing_ok=True)
        cmd = [dev.VENV / "bin" / "odoo", "-c", conf, "-d", DB, *args, "--logfile", log]
        dev.run(cmd, quiet=True, what=f"odoo {' '.join(args[:2])} (log: {log})")
        dev.check_demo_loaded(log)

    def install(self):
        dev.drop_db(self.settings, DB)
        log = dev.LOG_DIR / "upgrade-check-install.log"
        self.odoo(
            self.conf, "-i", dev.ADDON, "--with-demo", "--stop-after-init", "--no-http", log=log
        )

    def upgrade(self):
        log = dev.LOG_DIR / "upgrade-check-update.log"
        self.odoo(dev.ODOO_CONF, "-u", dev.ADDON, "--stop-after-init", "--no-http", log=log)

    def shell(self, conf, code, name):
        """Run code in `odoo shell` on the database; its output goes to a log."""
        log = dev.LOG_DIR / f"upgrade-check-{name}.log"
        cmd = [dev.VENV / "bin" / "odoo", "shell", "-c", conf, "-d", DB, "--no-http"]
        proc = subprocess.run(
            [str(c) for c in [*cmd, "--log-level=warn"]],
            input=code + f"\nprint({DONE_MARK!r})\n",
            capture_output=True,
            text=True,
            env=dev.child_env(),
            check=False,
        )
        output = proc.stdout + proc.stderr
        log.write_text(output)
        if proc.returncode != 0 or DONE_MARK not in proc.stdout or "Traceback" in output:
            tail = "\n".join(output.splitlines()[-30:])
            raise dev.SetupError(f"upgrade-check: the {name} script failed (log: {log}):\n{tail}")
        for line in output.splitlines():
            if line.startswith("upgrade-check: "):
                self.out("    " + line[len("upgrade-check: ") :])

    def snapshot_code(self, out):
        script = dev.ROOT / "tools" / "upgrade_check_snapshot.py"
        return f"import runpy\nrunpy.run_path({str(script)!r})['main'](env, {str(out)!r})\n"

    def populate(self):
        script = dev.ROOT / "tools" / "upgrade_check_populate.py"
        out = WORK / "before.json"
        code = f"import runpy\nrunpy.run_path({str(script)!r})['main'](env)\nenv.cr.commit()\n"
        self.shell(self.conf, code + self.snapshot_code(out), "populate")
        return json.loads(out.read_text())

    def snapshot(self):
        out = WORK / "after.json"
        self.shell(dev.ODOO_CONF, self.snapshot_code(out), "snapshot")
        return json.loads(out.read_text())


def short(value, width=120):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def compare(before, after, out, log=None):
    """Every record and stored value of `before` as it is in `after`; prints the
    counts and the differences, returns the problems."""
    differences = []
    values = 0
    log = log or dev.LOG_DIR / "upgrade-check-differences.log"
    log.unlink(missing_ok=True)
    for model, rows in sorted(before["records"].items()):
        new_rows = after["records"].get(model)
        if new_rows is None:
            differences.append(f"{model}: not in the upgraded database")
            continue
        for rid, old in rows.items():
            label = f"{model}({rid}{' ' + old['number'] if old.get('number') else ''})"
            new = new_rows.get(rid)
            if new is None:
                differences.append(f"{label}: gone")
                continue
            for field, value in old.items():
                values += 1
                if field not in new:
                    differences.append(f"{label}.{field}: field gone (was {short(value)})")
                elif new[field] != value:
                    differences.append(f"{label}.{field}: {short(value)} -> {short(new[field])}")
    records = before["records"]
    counted = [f"{len(records.get(m, {}))} {label}" for m, label in COUNTED.items()]
    total = sum(len(rows) for rows in records.values())
    out(
        f"    compared {', '.join(counted)}; in all {total} records of {len(records)} models, "
        f"{values} stored values"
    )
    if differences:
        log.write_text("\n".join(differences) + "\n")
        out(f"    {len(differences)} differences (all in {log}):")
        for line in differences[:SHOWN_DIFFERENCES]:
            out(f"      {line}")
        return [f"{len(differences)} values differ after the upgrade (see above, and {log})"]
    out("    no difference")
    return []


def check_version(before, after, sha):
    """The schema moved: so must the manifest's version."""
    old_version = before["version"]
    new_version = manifest_version((dev.ROOT / MANIFEST).read_text())
    old, new = before["schema"], after["schema"]
    changed = sorted(
        [f"+ {name} {new[name]}" for name in new.keys() - old.keys()]
        + [f"- {name} {old[name]}" for name in old.keys() - new.keys()]
        + [
            f"~ {name} {old[name]} -> {new[name]}"
            for name in old.keys() & new.keys()
            if old[name] != new[name]
        ]
    )
    if version_key(new_version) < version_key(old_version):
        return [
            f"the working tree's version {new_version} is older than {sha[:12]}'s {old_version}"
        ]
    if changed and new_version == old_version:
        shown = "\n".join(f"      {line}" for line in changed[:50])
        return [
            f"the addon's schema changed since {sha[:12]} ({len(changed)} fields) but its version "
            f"is still {old_version}: move 'version' in {MANIFEST} (and put the data moves "
            f"in {dev.ADDON}/migrations/<new version>/pre-*.py or post-*.py):\n{shown}"
        ]
    return []


# --------------------------------------------------------------------------
# entry points


def cmd_upgrade_check(args):
    settings, started = dev.setup()
    try:
        sha = resolve(args.rev)
        dev.say(f"==> upgrade-check from {args.rev} ({sha[:12]}) to the working tree")
        Check(settings, sha, keep_db=args.keep_db).run()
    finally:
        if started:
            dev.stop_postgres()
    return 0


def in_background(settings):
    """Start the check from the last release in a thread, its lines held until the
    end; return a function that prints them and raises the check's failure."""
    version = last_release()
    lines = [f"==> upgrade-check from the last release {version} (in the background)"]
    errors = []

    def target():
        try:
            Check(settings, resolve(version), out=lines.append).run()
        except dev.SetupError as error:
            errors.append(error)
        except Exception as error:
            errors.append(dev.SetupError(f"upgrade-check crashed: {error!r}"))

    thread = threading.Thread(target=target)
    thread.start()

    def wait():
        thread.join()
        for line in lines:
            dev.say(line)
        if errors:
            raise errors[0]

    return wait
