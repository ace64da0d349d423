"""``./dev backup [DB] [FILE]`` and ``./dev restore FILE [DB]``: Odoo's own backup.

The backup is the zip the database manager writes and restores (``dump.sql``,
``filestore/``, ``manifest.json``), made by Odoo's own code: ``odoo db dump``
(``odoo/cli/db.py``) and ``restore_db`` of ``odoo/service/db.py`` (as the database
manager restores a database that was moved). This module only picks the names,
refuses what would overwrite something, and says how to serve what it restored (README, "Backup and
restore").

Only the standard library is used (this runs with the system Python, like dev.py).
"""

import ast
import json
import time
import zipfile
from pathlib import Path

import dev

BACKUPS = dev.ROOT / "backups"  # ignored by git (.gitignore)
MEMBERS = ("dump.sql", "manifest.json")
SetupError = dev.SetupError


def odoo_db(*args):
    """``odoo db`` (the command-line database manager) with the set-up's configuration."""
    return [dev.VENV / "bin" / "odoo", "db", "-c", dev.ODOO_CONF, *args]


# Odoo's restore_db, as the database manager calls it: ``odoo db load`` always restores
# as a copy (a new database uuid and secret), which would break what the secret signs
# or salts: the survey links already sent to complainants (survey_survey.py) and the
# personal-data log's hashed addresses. A backup brought back after a loss is the same
# database moved ("This database was moved" in the manager): it keeps both.
RESTORE = """
import sys
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]], setup_logging=True)
config["list_db"] = True
from odoo.service.db import restore_db
db, dump_file, how, neutralize = sys.argv[2:6]
restore_db(db, dump_file, copy=how == "copy", neutralize_database=neutralize == "1")
"""


def restore_cmd(db, source, args):
    """Odoo's restore_db on ``source`` into ``db``: moved (same uuid and secret) or a copy."""
    how = "copy" if args.copy else "moved"
    neutralize = "1" if args.neutralize else "0"
    python = dev.VENV / "bin" / "python"
    return [python, "-c", RESTORE, dev.ODOO_CONF, db, source.resolve(), how, neutralize]


def default_file(db):
    return BACKUPS / f"{db}-{time.strftime('%Y%m%d-%H%M%S')}.zip"


def human_size(size):
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"


def read_manifest(path):
    """The backup's manifest.json; SetupError when the file is not Odoo's backup zip."""
    if not path.is_file():
        raise SetupError(f"no backup file {path}")
    if not zipfile.is_zipfile(path):
        raise SetupError(f"{path} is not a zip: not a backup made by ./dev backup or Odoo")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        missing = [name for name in MEMBERS if name not in names]
        if missing:
            raise SetupError(f"{path} is not Odoo's backup zip: no {', '.join(missing)} in it")
        manifest = json.loads(archive.read("manifest.json"))
        files = sum(1 for name in names if name.startswith("filestore/") and name[-1] != "/")
    return manifest, files


def addon_version():
    manifest = (dev.ROOT / dev.ADDON / "__manifest__.py").read_text()
    return ast.literal_eval(manifest)["version"]


def cmd_backup(args):
    settings, started = dev.setup()
    try:
        db = args.db or dev.DEMO_DB
        if not dev.db_exists(settings, db):
            hint = " (./dev run creates it)" if db == dev.DEMO_DB else ""
            raise SetupError(f"there is no database {db} to back up{hint}")
        target = Path(args.file) if args.file else default_file(db)
        if target.exists() and not args.force:
            raise SetupError(f"{target} exists: name another file, or pass --force to replace it")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with dev.step(f"Back up {db} to {target} (odoo db dump: dump.sql, filestore, manifest)"):
            partial.unlink(missing_ok=True)
            try:
                dev.run(odoo_db("dump", db, partial), quiet=True, what="odoo db dump")
                manifest, files = read_manifest(partial)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(target)  # never a half-written file under the final name
        version = manifest["modules"].get(dev.ADDON, "not installed")
        dev.say(
            f"    {human_size(target.stat().st_size)}: {files} files of the filestore, "
            f"Odoo {manifest['version']}, {dev.ADDON} {version}"
        )
        dev.say(f"    restore it with: ./dev restore {target} NEW_DATABASE")
    finally:
        if started:
            dev.stop_postgres()
    return 0


def cmd_restore(args):
    settings, started = dev.setup()
    try:
        source = Path(args.file)
        manifest, files = read_manifest(source)
        db = args.db or manifest.get("db_name") or source.stem
        filestore = dev.DATA_DIR / "filestore" / db
        if dev.db_exists(settings, db) or filestore.exists():
            what = "a database" if dev.db_exists(settings, db) else "a filestore (no database)"
            if not args.force:
                raise SetupError(
                    f"there is already {what} named {db}: restore into another name "
                    f"(./dev restore {source} OTHER_NAME), or pass --force to replace it"
                )
            with dev.step(f"Drop the existing {db} and its filestore (--force)"):
                dev.drop_db(settings, db)
        kept = "a copy: new uuid and secret" if args.copy else "the same uuid and secret"
        title = f"Restore {source} into a new database {db} ({kept}, with its filestore)"
        with dev.step(title):
            dev.run(restore_cmd(db, source, args), quiet=True, what="odoo restore_db")
        backed_up = manifest["modules"].get(dev.ADDON)
        dev.say(
            f"    {files} files of the filestore; backed up from {manifest.get('db_name')} "
            f"with Odoo {manifest['version']}, {dev.ADDON} {backed_up or 'not installed'}"
        )
        if backed_up and backed_up != addon_version():
            dev.say(
                f"    the working tree has {dev.ADDON} {addon_version()}: upgrade the restored "
                f"database first: .local/venv/bin/odoo -c .local/odoo.conf -d {db} "
                f"-u {dev.ADDON} --stop-after-init"
            )
        dev.say("    serve it (Ctrl-C stops it) with:")
        dev.say(
            f"      .local/venv/bin/odoo -c .local/odoo.conf -d {db} --db-filter '^{db}$' "
            "--http-port 8069"
        )
        dev.say("    then open http://localhost:8069 (the logins are the backed-up database's)")
    finally:
        if started:
            dev.stop_postgres()
    return 0


def add_parsers(sub):
    """The subcommands' parser lines, for dev.py's main()."""
    p_backup = sub.add_parser(
        "backup", help="write Odoo's backup zip of a database (default: the demo database)"
    )
    p_backup.add_argument("db", nargs="?", help=f"the database (default: {dev.DEMO_DB})")
    p_backup.add_argument(
        "file",
        nargs="?",
        help="the zip to write, relative to the repository "
        f"(default: {BACKUPS.relative_to(dev.ROOT)}/DB-YYYYMMDD-HHMMSS.zip)",
    )
    p_backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p_backup.set_defaults(func=cmd_backup)
    p_restore = sub.add_parser(
        "restore", help="restore a backup zip into a new database, filestore included"
    )
    p_restore.add_argument(
        "file", help="the backup zip (./dev backup's, or the database manager's)"
    )
    p_restore.add_argument("db", nargs="?", help="the new database (default: the backed-up one's)")
    p_restore.add_argument(
        "--force", action="store_true", help="drop a database (and filestore) of that name first"
    )
    p_restore.add_argument(
        "--copy",
        action="store_true",
        help="restore as a copy (new database uuid and secret: links signed by the original "
        "stop working), as for a test copy beside the original",
    )
    p_restore.add_argument(
        "--neutralize",
        action="store_true",
        help="neutralize the copy (Odoo's: no outgoing mail, crons off) for a test copy",
    )
    p_restore.set_defaults(func=cmd_restore)
