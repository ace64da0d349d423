"""A backup brings every complaint back: ``./dev backup``, drop, ``./dev restore``.

Runs in its own pytest session on a scratch copy of the test database (``./dev test``
makes it, ``library_test_backup``), because it commits, drops the database and
restores it. As the demo's roles it records what the office keeps (a complaint with
files, a published outcome with its PDF notice, a survey answer), commits, backs up
with ``./dev backup DB FILE`` and restores with ``./dev restore FILE DB`` as a person
runs them, then compares every table's rows, every file's bytes (from the filestore),
the complaints' messages and the figures the product computes, and serves
``/complaint`` from the restored database with Odoo's HTTP server.
"""

import base64
import hashlib
import resource
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

import odoo
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tests.common import get_db_name
from odoo.tools import config

ROOT = Path(__file__).resolve().parents[2]
ADDON = "library_complaints"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
LETTER = "เรียนผู้อำนวยการ\nชั้นวางหนังสือชั้น 3 ล้มทับผู้ใช้บริการ\n".encode()
# A backup brought back after a loss is the same database moved: ./dev restore keeps
# database.uuid and database.secret (only ./dev restore --copy makes them anew), so
# every table comes back as it was, and what the secret signs (the survey links sent
# to complainants) or salts (the personal-data log's hashed addresses) still holds.
CHANGED_BY_RESTORE = set()


def dev(*args, check=True):
    """``./dev ARGS`` as a person runs it, from the repository."""
    proc = subprocess.run(
        [str(ROOT / "dev"), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def ref(env, xmlid):
    return env.ref(f"{ADDON}.{xmlid}")


# ----------------------------------------------------------------------
# What the office records, through the product's code, as the roles


def record_complaints(env):
    """Staff record a known complaint with files; staff fix an anonymous one and
    publish its outcome with the noticeboard's PDF; the patron answers the
    satisfaction survey of a third. Returns {what: record}."""
    staff = ref(env, "user_staff")
    patron = ref(env, "user_patron")
    desk = ref(env, "team_library_service_desk")
    service = ref(env, "service_information")
    tickets = env["helpdesk.ticket"].with_user(staff)
    attachments = env["ir.attachment"].with_user(staff)

    # 1. A complaint staff record from a letter, with the letter and a photo.
    known = tickets.create(
        {
            "name": "ชั้นวางหนังสือชั้น 3 ล้ม",
            "description": "<p>ผู้ใช้บริการแจ้งว่าชั้นวางหนังสือล้ม</p>",
            "partner_id": patron.partner_id.id,
            "service_id": service.id,
            "team_id": desk.id,
        }
    )
    files = attachments.create(
        [
            {"name": "letter.txt", "raw": LETTER, "res_model": known._name, "res_id": known.id},
            {"name": "shelf.png", "raw": PNG, "res_model": known._name, "res_id": known.id},
        ]
    )
    known.message_post(
        body="สแกนจดหมายของผู้ใช้บริการแนบไว้แล้ว",
        attachment_ids=files.ids,
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )

    # 2. An anonymous complaint fixed on the spot, its outcome published, its notice printed.
    anonymous = env["helpdesk.ticket"]._create_anonymous_complaint(
        {
            "name": "เสียงดังในโซนเงียบ",
            "description": "<p>มีกลุ่มนักศึกษาคุยเสียงดังในโซนเงียบ ชั้น 3</p>",
            "service_id": service.id,
            "team_id": desk.id,
        },
        [{"name": "noise.png", "raw": PNG + b"anonymous"}],
    )
    anonymous = anonymous.with_user(staff)
    anonymous.write({"track_id": ref(env, "track_1_on_the_spot").id})
    anonymous.action_triage()
    action = anonymous.action_fix_on_the_spot()
    fix = env[action["res_model"]].with_user(staff).with_context(**action["context"])
    fix.create({"resolution": "ขอให้กลุ่มนักศึกษาย้ายไปใช้ห้องประชุมกลุ่ม"}).action_confirm()
    action = anonymous.action_publish_outcome()
    dialog = env[action["res_model"]].with_user(staff).with_context(**action["context"])
    dialog = dialog.create({})
    dialog.write(
        {
            "found": "นักศึกษากลุ่มหนึ่งคุยเสียงดังในโซนเงียบ",
            "prevention": "เจ้าหน้าที่เดินตรวจโซนเงียบทุกชั่วโมง",
        }
    )
    dialog.action_publish()
    outcome = anonymous.outcome_id
    assert outcome.state == "published" and anonymous.notice_ids
    reports = env["ir.actions.report"].with_user(staff).with_context(force_report_rendering=True)
    pdf, kind = reports._render_qweb_pdf("library_complaints.report_outcome_notice", outcome.ids)
    assert kind == "pdf" and pdf.startswith(b"%PDF")
    notice_pdf = attachments.create(
        {
            "name": f"Notice - {outcome.number}.pdf",
            "raw": pdf,
            "res_model": outcome._name,
            "res_id": outcome.id,
        }
    )

    # 3. A resolved complaint whose satisfaction survey the patron answers.
    surveyed = tickets.create(
        {
            "name": "ห้องน้ำชั้น 2 ไม่มีกระดาษ",
            "description": "<p>ห้องน้ำชั้น 2 ไม่มีกระดาษชำระทั้งวัน</p>",
            "partner_id": patron.partner_id.id,
            "service_id": service.id,
            "team_id": desk.id,
            "track_id": ref(env, "track_3_satisfaction").id,
        }
    )
    surveyed.write({"stage_id": env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").id})
    env["helpdesk.ticket"]._run_satisfaction_survey()
    answer = surveyed.sudo().survey_user_input_ids.filtered(
        lambda a: a.partner_id == patron.partner_id
    )
    survey = ref(env, "survey_complaint_satisfaction")
    scales = survey.question_ids.filtered(lambda q: q.question_type == "scale")
    for question, score in zip(scales, (5, 4, 3, 4), strict=True):
        answer._save_lines(question, str(score))
    answer._mark_done()
    assert answer.satisfaction_score == 4.0
    env.flush_all()
    return {
        "known": known,
        "files": files,
        "anonymous": anonymous,
        "notice_pdf": notice_pdf,
        "surveyed": surveyed,
        "answer": answer,
    }


# ----------------------------------------------------------------------
# What must come back


def table_digests(cr):
    """Every table's row count and the digest of its rows, in a stable order."""
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    digests = {}
    for (table,) in cr.fetchall():
        cr.execute(
            f"""SELECT count(*), md5(coalesce(string_agg(r, chr(10) ORDER BY r), ''))
                  FROM (SELECT t::text AS r FROM "{table}" t) rows"""
        )
        digests[table] = cr.fetchone()
    return digests


def files_of(env, *recordsets):
    """{attachment id: (name, sha1 of the bytes read through the ORM, stored in the
    filestore)} of the records' attachments."""
    result = {}
    for records in recordsets:
        domain = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        for attachment in env["ir.attachment"].sudo().search(domain):
            sha1 = hashlib.sha1(attachment.raw).hexdigest()
            result[attachment.id] = (attachment.name, sha1, bool(attachment.store_fname))
    return result


def facts(env):
    """What the office reads: every complaint, its messages and files, the survey
    answers, the figures the product computes (every quarter's summary counted
    again from the complaints, the public statistics)."""
    env.invalidate_all()
    tickets = env["helpdesk.ticket"].sudo().with_context(active_test=False).search([])
    fields = ["number", "name", "stage_id", "track_id", "service_id", "partner_id"]
    fields += ["received_date", "tracking_code", "resolution", "outcome_id", "satisfaction_score"]
    messages = (
        env["mail.message"]
        .sudo()
        .search([("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)], order="id")
    )
    reports = env["library.complaint.quarter.report"].sudo().search([], order="id")
    answers = env["survey.user_input"].sudo().search([], order="id")
    outcomes = env["library.complaint.outcome"].sudo().search([])
    return {
        "complaints": tickets.read(fields),
        "messages": [(m.id, m.res_id, m.body, m.attachment_ids.ids) for m in messages],
        "files": files_of(env, tickets, outcomes),
        "answers": answers.read(["state", "scoring_total", "satisfaction_score"]),
        "summaries": [report._collect_figures() for report in reports],
        "statistics": reports._get_published_statistics(company=env.company),
    }


def filestore_intact(env):
    """Every stored file is in the filestore with the bytes its checksum names."""
    attachments = (
        env["ir.attachment"]
        .sudo()
        .search_fetch([("store_fname", "!=", False)], ["store_fname", "checksum"])
    )
    store = Path(config.filestore(env.cr.dbname))
    bad = [
        a.store_fname
        for a in attachments
        if not (store / a.store_fname).is_file()
        or hashlib.sha1((store / a.store_fname).read_bytes()).hexdigest() != a.checksum
    ]
    return len(attachments), bad


def serves_complaint_form(db):
    """Odoo's HTTP server on the database answers /complaint with the form."""
    ports = [free_port(), free_port()]
    log = ROOT / ".local" / "log" / f"{db}-serve.log"
    server = subprocess.Popen(
        map(
            str,
            [
                *(ROOT / ".local" / "venv" / "bin" / "odoo", "-c", ROOT / ".local" / "odoo.conf"),
                *("-d", db, "--db-filter", f"^{db}$", "--max-cron-threads", "0"),
                *("--http-port", ports[0], "--gevent-port", ports[1], "--logfile", log),
            ],
        ),
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{ports[0]}/complaint", timeout=60)
                break
            except requests.ConnectionError:
                assert server.poll() is None, f"Odoo stopped; see {log}"
                assert time.monotonic() < deadline, f"Odoo did not answer; see {log}"
                time.sleep(0.5)
        return response
    finally:
        server.terminate()
        server.wait(timeout=60)


def cpu_seconds():
    """CPU seconds of this process and of its finished children (./dev, odoo)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------


def test_backup_drop_restore_brings_every_complaint_back(monkeypatch, tmp_path, request):
    # pytest-odoo turns test mode on; the restored registry must not look for tests.
    monkeypatch.setitem(config, "test_enable", False)
    db = get_db_name()
    if not db.endswith("_backup"):
        pytest.skip(f"drops its database: run on a copy named *_backup (./dev test), not {db}")
    timings = []
    clock = [time.monotonic(), cpu_seconds()]

    def lap(name):
        now = [time.monotonic(), cpu_seconds()]
        timings.append(f"{name} {now[0] - clock[0]:.0f}s ({now[1] - clock[1]:.0f}s CPU)")
        clock[:] = now

    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        made = record_complaints(env)
        cr.commit()
        ids = {name: records.ids for name, records in made.items()}
        before = facts(env)
        survey = ref(env, "survey_complaint_satisfaction")
        surveyed = env["helpdesk.ticket"].browse(ids["surveyed"])
        link_token = survey._get_complaint_public_token(surveyed)  # in the mail already sent
        rows_before = table_digests(cr)
        stored_before = filestore_intact(env)
    assert stored_before[0] and not stored_before[1]
    assert len(before["files"]) >= 4 and all(stored for *__, stored in before["files"].values())

    lap("recording and reading")

    backup = tmp_path / f"{db}.zip"
    request.addfinalizer(lambda: backup.unlink(missing_ok=True))  # 14 MB
    dev("backup", db, backup)
    lap(f"backup ({backup.stat().st_size / 1e6:.1f} MB)")
    # no restore over a database that exists
    refused = dev("restore", backup, db, check=False)
    assert refused.returncode == 2 and "already a database" in refused.stdout

    # The database is lost, its filestore with it.
    Registry.delete(db)
    odoo.sql_db.close_db(db)
    monkeypatch.setitem(config, "list_db", True)
    assert db_service.exp_drop(db)
    assert not db_service.exp_db_exist(db)
    assert not Path(config.filestore(db)).exists()

    dev("restore", backup, db)
    lap("restore")
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        rows_after = table_digests(cr)
        changed = {t for t in rows_before if rows_after.get(t) != rows_before[t]}
        assert changed == CHANGED_BY_RESTORE, "every table holds the same rows"
        assert set(rows_after) == set(rows_before)
        after = facts(env)
        for key, value in before.items():
            assert after[key] == value, f"{key} came back changed"
        assert filestore_intact(env) == stored_before
        # The records of this test, read as the roles read them.
        staff = ref(env, "user_staff")
        known = env["helpdesk.ticket"].with_user(staff).browse(ids["known"])
        assert known.name == "ชั้นวางหนังสือชั้น 3 ล้ม"
        letter = known.env["ir.attachment"].search(
            [("res_model", "=", known._name), ("res_id", "=", known.id)], order="name"
        )
        assert letter.ids == sorted(ids["files"])
        assert letter.mapped("raw") == [LETTER, PNG]
        anonymous = env["helpdesk.ticket"].with_user(staff).browse(ids["anonymous"])
        assert anonymous.outcome_id.state == "published" and anonymous.notice_ids
        pdf = env["ir.attachment"].browse(ids["notice_pdf"])
        assert pdf.raw.startswith(b"%PDF") and pdf.res_id == anonymous.outcome_id.id
        answer = env["survey.user_input"].browse(ids["answer"])
        assert answer.state == "done" and answer.satisfaction_score == 4.0
        surveyed = env["helpdesk.ticket"].with_user(staff).browse(ids["surveyed"])
        assert surveyed.satisfaction_score == 4.0
        survey = ref(env, "survey_complaint_satisfaction")
        assert survey._check_complaint_public_token(
            surveyed, link_token
        ), "the survey link sent before the backup opens after the restore"

    lap("comparing")
    response = serves_complaint_form(db)
    assert response.status_code == 200
    assert 'action="/complaint/submit"' in response.text and 'name="csrf_token"' in response.text
    lap("serving /complaint")
    print("\nbackup and restore: " + ", ".join(timings))
