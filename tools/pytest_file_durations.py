"""pytest plugin: the seconds each test file took (set-up, calls and tear-downs,
so a class's setUpClass counts), written as JSON to $LC_DURATIONS_OUT at the end.

``./dev test`` merges these files into .local/state/test-durations.json and splits
the next run's shards by them (tools/dev.py, ``balanced_shards``)."""

import json
import os
from collections import defaultdict

_seconds = defaultdict(float)


def pytest_runtest_logreport(report):
    _seconds[report.nodeid.split("::", 1)[0]] += report.duration


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get("LC_DURATIONS_OUT")
    if out and _seconds:
        with open(out, "w", encoding="utf-8") as stream:
            json.dump({path: round(sec, 2) for path, sec in sorted(_seconds.items())}, stream)
