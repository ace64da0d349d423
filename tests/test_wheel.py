"""The addon installed the way a library's IT team installs an OCA addon: its wheel
(built by whool) in a NEW virtualenv that has Odoo but not this repository, its
dependencies (helpdesk_mgmt, holidays) pulled in by the wheel, the module installed
in a NEW database, and a complaint opened by a staff member through the web."""

import json
import re
import resource
import secrets
import subprocess
import time
import zipfile
from pathlib import Path
from unittest import TestCase

import psycopg2
import requests

from odoo.tools import config

from .tools_modules import load_tool

ROOT = Path(__file__).resolve().parent.parent


dev = load_tool("dev")
wheel = load_tool("addon_wheel")

ERROR_LINE = re.compile(r"\d \d+ (ERROR|CRITICAL) ")
# What the server's Python finds for each module, with the server's configuration.
MODULE_PATHS = """
import json, sys
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]])
from odoo.modules import module
module.initialize_sys_path()
print(json.dumps({name: module.get_module_path(name) for name in sys.argv[2:]}))
"""


class TestWheel(TestCase):
    def setUp(self):
        super().setUp()
        self.start = time.monotonic()
        self.cpu_start = self.children_cpu()
        self.work = dev.TMP / f"wheel-test-{secrets.token_hex(4)}"
        self.work.mkdir(parents=True)
        self.db = f"lc_wheel_{secrets.token_hex(4)}"
        self.server = None
        self.marks = {}
        self.addCleanup(self.clean_up)

    def mark(self, name):
        """Wall seconds since the test began, at the end of a phase."""
        self.marks[name] = round(time.monotonic() - self.start, 1)

    @staticmethod
    def children_cpu():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def clean_up(self):
        self.stop_server()
        conn = psycopg2.connect(**self.db_params("postgres"))
        try:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        finally:
            conn.close()
        wheel.shutil.rmtree(self.work, ignore_errors=True)

    def stop_server(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()

    def db_params(self, dbname):
        return {
            "dbname": dbname,
            "host": config["db_host"],
            "port": config["db_port"],
            "user": config["db_user"],
            "password": config["db_password"],
        }

    def write_conf(self):
        conf = self.work / "odoo.conf"
        conf.write_text(
            "[options]\n"
            "; no addons_path: Odoo finds the addons under the venv's odoo/addons\n"
            f"data_dir = {self.work / 'data'}\n"
            f"db_host = {config['db_host']}\n"
            f"db_port = {config['db_port']}\n"
            f"db_user = {config['db_user']}\n"
            f"db_password = {config['db_password']}\n"
            "db_sslmode = disable\n"
            "list_db = False\n"
            "http_interface = 127.0.0.1\n"
            "max_cron_threads = 0\n"
            f"admin_passwd = {secrets.token_urlsafe(12)}\n"
        )
        return conf

    def serve_after_install(self, venv, conf, log):
        """Start Odoo from the new venv: install the module (no demo) in the new
        database, then serve it; wait until the registry is loaded."""
        self.port = dev.free_port()
        cmd = [
            *(venv / "bin" / "python", "-m", "odoo", "-c", conf, "-d", self.db),
            *("-i", dev.ADDON, "--db-filter", f"^{self.db}$", "--logfile", log),
            *("--http-port", self.port, "--gevent-port", dev.free_port()),
        ]
        self.server = subprocess.Popen(
            [str(c) for c in cmd], cwd=self.work, env=wheel.venv_env(venv)
        )
        deadline = time.monotonic() + 900
        while "Registry loaded in" not in (log.read_text() if log.exists() else ""):
            if self.server.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text()[-3000:] if log.exists() else ""
                self.fail(f"Odoo stopped or hung while installing {dev.ADDON}:\n{tail}")
            time.sleep(0.5)

    def call(self, session, model, method, *args, **kwargs):
        """A call as the web client makes it (/web/dataset/call_kw)."""
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        response = session.post(
            f"http://127.0.0.1:{self.port}/web/dataset/call_kw/{model}/{method}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        self.assertNotIn("error", body, f"{model}.{method}: {body.get('error')}")
        return body["result"]

    def log_in(self, login, password):
        session = requests.Session()
        response = session.post(
            f"http://127.0.0.1:{self.port}/web/session/authenticate",
            json={"params": {"db": self.db, "login": login, "password": password}},
            timeout=120,
        )
        response.raise_for_status()
        self.assertTrue(response.json().get("result", {}).get("uid"), response.text)
        return session

    def check_wheel(self, whl):
        version = wheel.manifest_version()
        self.assertEqual(whl.name, f"odoo_addon_{dev.ADDON}-{version}-py3-none-any.whl")
        with zipfile.ZipFile(whl) as archive:
            names = archive.namelist()
            metadata = archive.read(f"odoo_addon_{dev.ADDON}-{version}.dist-info/METADATA")
        requires = re.findall(r"^Requires-Dist: (.+)$", metadata.decode(), re.M)
        wanted = ["holidays>=0.86,<0.87", "odoo-addon-helpdesk_mgmt==19.0.*", "odoo==19.0.*"]
        self.assertEqual(sorted(requires), wanted)
        self.assertIn(f"odoo/addons/{dev.ADDON}/__manifest__.py", names)
        self.assertNotIn(f"odoo/addons/{dev.ADDON}/pyproject.toml", names)

    def test_wheel_installs_in_a_new_odoo_and_staff_open_a_complaint(self):
        whl = wheel.build_wheel(self.work / "dist")
        self.check_wheel(whl)
        self.mark("build")
        venv = self.work / "venv"
        site = wheel.make_odoo_venv(venv, [whl])
        self.mark("venv")
        for dist in ("odoo_addon_helpdesk_mgmt-19.0.", "holidays-"):
            self.assertTrue(list(site.glob(f"{dist}*.dist-info")), f"{dist} not installed")

        conf, log = self.write_conf(), self.work / "odoo.log"
        self.serve_after_install(venv, conf, log)
        self.mark("install")
        # The module and its dependency were loaded from the new venv, not the repo.
        probe = [venv / "bin" / "python", "-c", MODULE_PATHS, conf, dev.ADDON, "helpdesk_mgmt"]
        paths = json.loads(
            subprocess.run(
                [str(c) for c in probe],
                cwd=self.work,
                env=wheel.venv_env(venv),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for name, path in paths.items():
            self.assertEqual(path, str(site / "odoo" / "addons" / name))
        logged = re.search(r"addons paths: (.*)", log.read_text())[1]
        addons_paths = re.findall(r"'([^']+)'", logged)
        self.assertIn(str(site / "odoo" / "addons"), addons_paths)
        self.assertNotIn(str(ROOT), addons_paths)
        for path in addons_paths:
            if path != str(site / "odoo" / "addons"):
                self.assertFalse((Path(path) / dev.ADDON).exists(), path)

        # A staff member of the service desk opens a complaint through the web.
        admin = self.log_in("admin", "admin")
        xmlids = {
            rec["name"]: rec["res_id"]
            for rec in self.call(
                admin,
                "ir.model.data",
                "search_read",
                [
                    ("module", "=", dev.ADDON),
                    ("name", "in", ["group_complaint_staff", "team_library_service_desk"]),
                ],
                fields=["name", "res_id"],
            )
        }
        password = secrets.token_urlsafe(12)
        staff = self.call(
            admin,
            "res.users",
            "create",
            {
                "name": "Wheel Staff",
                "login": "wheel_staff",
                "password": password,
                "group_ids": [(6, 0, [xmlids["group_complaint_staff"]])],
            },
            context={"no_reset_password": True},  # no invitation mail
        )
        desk = xmlids["team_library_service_desk"]
        self.call(admin, "helpdesk.ticket.team", "write", [desk], {"user_ids": [(4, staff)]})
        ticket = self.call(
            admin,
            "helpdesk.ticket",
            "create",
            {"name": "Wheel complaint", "description": "<p>From the wheel.</p>", "team_id": desk},
        )
        session = self.log_in("wheel_staff", password)
        views = self.call(session, "helpdesk.ticket", "get_views", [[False, "form"]])
        self.assertIn("<form", views["views"]["form"]["arch"])
        spec = {"name": {}, "number": {}, "team_id": {"fields": {"display_name": {}}}}
        (record,) = self.call(session, "helpdesk.ticket", "web_read", [ticket], specification=spec)
        self.assertEqual(record["name"], "Wheel complaint")
        self.assertEqual(record["team_id"]["id"], desk)
        self.assertTrue(record["number"])

        self.mark("http")
        self.stop_server()
        errors = [line for line in log.read_text().splitlines() if ERROR_LINE.search(line)]
        self.assertFalse(errors, "the install logged errors")
        seconds = {
            **self.marks,
            "wall": round(time.monotonic() - self.start, 1),
            "cpu (children)": round(self.children_cpu() - self.cpu_start, 1),
            "wheel": whl.name,
            "wheel KiB": round(whl.stat().st_size / 1024),
        }
        (dev.LOG_DIR / "wheel-test.json").write_text(json.dumps(seconds) + "\n")
        print(f"wheel test: {seconds}")
