"""`./dev upgrade-check` (tools/upgrade_check.py): what it reports and refuses.

The check itself runs in `./dev test` from the last release; these tests pin its
verdicts: a changed, lost or dropped value fails it, a schema change without a
new version fails it, and a released revision missing from a shallow clone is
fetched from origin (or refused clearly when there is no origin)."""

import json
import subprocess
import tempfile
import unittest
from pathlib import Path

from .tools_modules import load_tool

dev = load_tool("dev")
upgrade_check = load_tool("upgrade_check")


def snapshot(version="19.0.1.1.0", schema=None, **records):
    return {
        "version": version,
        "schema": schema or {"helpdesk.ticket.track_id": ["many2one", "track", True, False, []]},
        "records": records,
    }


TICKET = {"number": "HT00001", "stage_id": 2, "deadline_date": "2026-03-24", "track_id": 3}


class TestUpgradeCheckVerdicts(unittest.TestCase):
    def compare(self, before, after):
        lines = []
        with tempfile.TemporaryDirectory(dir=dev.TMP) as tmp:
            log = Path(tmp) / "differences.log"
            problems = upgrade_check.compare(before, after, lines.append, log)
            if problems:
                self.assertIn(str(log), problems[0])
                lines.append(log.read_text())
        return problems, "\n".join(lines)

    def test_the_same_records_pass_and_are_counted(self):
        before = snapshot(
            **{"helpdesk.ticket": {"1": TICKET}, "mail.message": {"7": {"body": "x"}}}
        )
        problems, output = self.compare(before, json.loads(json.dumps(before)))
        self.assertEqual(problems, [])
        self.assertIn("1 complaints, 1 messages", output)
        self.assertIn("5 stored values", output)
        self.assertIn("no difference", output)

    def test_a_changed_value_a_lost_record_and_a_dropped_field_fail(self):
        before = snapshot(**{"helpdesk.ticket": {"1": TICKET, "2": dict(TICKET, number="HT2")}})
        moved = {key: value for key, value in TICKET.items() if key != "track_id"}
        after = snapshot(**{"helpdesk.ticket": {"1": dict(moved, deadline_date="2026-03-25")}})
        problems, output = self.compare(before, after)
        self.assertEqual(len(problems), 1)
        self.assertIn("3 values differ", problems[0])
        self.assertIn(
            'helpdesk.ticket(1 HT00001).deadline_date: "2026-03-24" -> "2026-03-25"', output
        )
        self.assertIn("helpdesk.ticket(1 HT00001).track_id: field gone (was 3)", output)
        self.assertIn("helpdesk.ticket(2 HT2): gone", output)

    def test_a_schema_change_needs_a_new_version(self):
        field = ["char", "", True, False, []]
        before = snapshot()
        after = snapshot(schema={**before["schema"], "helpdesk.ticket.x_new": field})
        manifest = (dev.ROOT / upgrade_check.MANIFEST).read_text()
        version = upgrade_check.manifest_version(manifest)

        # the working tree keeps REV's version: refused, the new field named
        problems = upgrade_check.check_version(snapshot(version=version), after, "0" * 40)
        self.assertEqual(len(problems), 1)
        self.assertIn(f"its version is still {version}", problems[0])
        self.assertIn("+ helpdesk.ticket.x_new", problems[0])
        # REV was older: the version moved, the schema may move
        self.assertEqual(
            upgrade_check.check_version(snapshot(version="19.0.1.0.0"), after, "0"), []
        )
        # REV was newer than the working tree: refused
        problems = upgrade_check.check_version(snapshot(version="19.0.99.0.0"), before, "0" * 40)
        self.assertIn("older than", problems[0])
        # no schema change, same version: fine
        self.assertEqual(upgrade_check.check_version(snapshot(version=version), before, "0"), [])


class TestUpgradeCheckRevisions(unittest.TestCase):
    """A CI clone may be shallow and without tags: the released commit is fetched."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="upgrade-check-", dir=dev.TMP))
        self.addCleanup(subprocess.run, ["rm", "-rf", str(self.tmp)], check=False)
        origin = self.tmp / "origin"
        self.git(self.tmp, "init", "--quiet", "-b", "main", str(origin))
        self.commits = []
        for number in (1, 2):
            (origin / "file.txt").write_text(f"{number}\n")
            self.git(origin, "add", "file.txt")
            self.git(origin, "commit", "--quiet", "-m", f"commit {number}")
            self.commits.append(self.git(origin, "rev-parse", "HEAD"))
        self.clone = self.tmp / "clone"
        url = f"file://{origin}"
        self.git(self.tmp, "clone", "--quiet", "--depth", "1", "--no-tags", url, str(self.clone))
        self.addCleanup(setattr, upgrade_check, "REPO", upgrade_check.REPO)
        upgrade_check.REPO = self.clone

    def git(self, cwd, *args):
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
        env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
        proc = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            check=True,
            env={**dev.child_env(), **env},
        )
        return proc.stdout.strip()

    def test_a_commit_missing_from_a_shallow_clone_is_fetched_from_origin(self):
        first = self.commits[0]
        self.assertFalse(upgrade_check.has_commit(first), "the shallow clone lacks it")
        self.assertEqual(upgrade_check.resolve(first), first)
        self.assertTrue(upgrade_check.has_commit(first))

    def test_without_origin_the_missing_commit_is_refused_clearly(self):
        self.git(self.clone, "remote", "remove", "origin")
        with self.assertRaisesRegex(dev.SetupError, "no remote 'origin'.*--unshallow"):
            upgrade_check.resolve(self.commits[0])

    def test_an_unknown_name_is_refused_with_the_released_versions(self):
        with self.assertRaisesRegex(dev.SetupError, r"neither a commit.*19\.0\.1\.1\.0"):
            upgrade_check.resolve("no-such-release")

    def test_the_last_release_is_recorded_with_its_tag(self):
        version = upgrade_check.last_release()
        entry = upgrade_check.releases()[version]
        self.assertEqual(entry["tag"], f"v{version}")
        self.assertRegex(entry["commit"], r"^[0-9a-f]{40}$")
