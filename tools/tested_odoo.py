"""Which Odoo the suite last passed with.

The set-up extracts whatever Debian's ``odoo-19`` package holds that day (or uses the
ODOO_SRC tree). A full ``./dev test`` that passes records the package's version in
tools/odoo_tested.json (committed); the set-up and the end of a test run say clearly
when the Odoo in use is another one. The tests still run.

Imported by tools/dev.py (``tools_module("tested_odoo")``), which it imports as ``dev``.
"""

import json
import os
from pathlib import Path

import dev

TESTED = dev.ROOT / "tools" / "odoo_tested.json"


def in_use():
    """The Odoo of this set-up: 'odoo-19 <Debian version>', or the ODOO_SRC tree."""
    src = os.environ.get("ODOO_SRC")
    if src:
        return f"the ODOO_SRC tree {Path(src).resolve()}"
    return dev.read_stamp("odoo")


def tested(path=TESTED):
    """'odoo-19 <Debian version>' the suite last passed with, or None."""
    try:
        data = json.loads(Path(path).read_text())
        return f"{data['package']} {data['version']}"
    except (OSError, ValueError, KeyError, TypeError):
        return None


def difference(recorded, current):
    """The lines that say the Odoo in use is not the tested one, or [] when it is."""
    if not current or current == recorded:
        return []
    where = TESTED.relative_to(dev.ROOT)
    return [
        "==> NOTE: this Odoo is not the one the suite last passed with",
        f"    in use: {current}",
        f"    tested: {recorded or 'none recorded'} ({where})",
        "    the tests still run; a full ./dev test that passes with a Debian "
        f"{dev.ODOO_DEB} records it.",
    ]


def is_debian(current):
    return bool(current) and current.startswith(f"{dev.ODOO_DEB} ")


def record(current, path=TESTED):
    package, version = current.split(" ", 1)
    Path(path).write_text(json.dumps({"package": package, "version": version}, indent=2) + "\n")


def at_setup(path=TESTED, current=None):
    for line in difference(tested(path), current or in_use()):
        dev.say(line)


def at_end(passed, path=TESTED, current=None):
    """At the end of ./dev test: a full run that passed with a Debian odoo-19 records
    its version; any other run repeats the note when the Odoo differs."""
    current = current or in_use()
    recorded = tested(path)
    if passed and is_debian(current):
        if current != recorded:
            record(current, path)
            dev.say(
                f"==> the suite passed with {current}: recorded in {Path(path).name} "
                f"(was {recorded or 'none'}); commit it"
            )
        return
    for line in difference(recorded, current):
        dev.say(line)
