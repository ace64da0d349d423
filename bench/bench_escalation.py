"""Benchmark of the escalation scheduled action with 2,000 and 20,000 open complaints.

Run it with ``./dev bench`` (after bench_complaints.py), or with
``.local/venv/bin/python bench/bench_escalation.py`` once PostgreSQL runs. It creates
its own database (``library_bench_escalation``, no demo data; ``--reuse`` keeps an
existing one), fills it in one transaction that it rolls back at the end, and prints:

1. the SQL queries of the cron's scan (every scheduled rule's search for the complaints
   it must move) with 2,000 and then 20,000 open complaints: they must be equal;
2. the time and SQL queries of one full run of the cron's work (deadline states
   refreshed, every rule scanned, the complaints due today escalated, with chatter, log
   and activities) with 20,000 open complaints: targets under 5 s and at most 15
   queries per escalated complaint (the run's queries divided by the complaints it
   escalated, the scan included).

It exits with 1 when a target is missed (or the scan's queries grow).

The complaints are inserted with SQL (setting up 20,000 through the ORM would take
minutes and is not what is measured) in a steady state: received over the last 120
days on the four tracks; those overdue for more than two days have already climbed
to the committee, so a run escalates the ones that became overdue since, as a daily
run does. The number escalated is printed.
"""

import sys
import time
from datetime import timedelta

from bench_complaints import (
    LOG_DIR,
    configure_odoo,
    parse_args,
    prepare_database,
    run_main,
    say,
)

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry

DEFAULT_DB = "library_bench_escalation"
SMALL, LARGE = 2_000, 20_000
TARGET_SECONDS = 5.0
MAX_QUERIES_PER_ESCALATION = 15
ADDON = "library_complaints"
HISTORY_DAYS = 120


def prepare_heads(env):
    """A work group with its head inside a division with its head, and staff."""
    users = env["res.users"].with_context(no_reset_password=True)

    def user(login, group):
        return users.search([("login", "=", login)]) or users.create(
            {
                "name": login,
                "login": login,
                "email": f"{login}@example.com",
                "group_ids": [Command.set([env.ref(f"{ADDON}.{group}").id])],
            }
        )

    staff = user("bench_staff", "group_complaint_staff")
    team = env.ref(f"{ADDON}.team_library_service_desk")
    team.write(
        {
            "wg_head_id": user("bench_wg_head", "group_complaint_wg_head").id,
            "user_ids": [Command.link(staff.id)],
        }
    )
    team.division_id.head_id = user("bench_div_head", "group_complaint_division_head")
    return staff, team


def insert_complaints(env, count, start, staff, team):
    """`count` open complaints in the steady state described above, in one INSERT."""
    tracks = env["library.complaint.track"].search([])
    stage = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    service = env.ref(f"{ADDON}.service_information")
    now = fields.Datetime.now()
    env.cr.execute(
        """
        INSERT INTO helpdesk_ticket (
            number, name, description, team_id, user_id, stage_id, company_id,
            track_id, service_id, division_id, is_triaged, tracking_code, active,
            received_date, date_deadline, level_date, last_action_date,
            escalation_level, deadline_state, first_response_date, priority,
            create_uid, write_uid, create_date, write_date
        )
        SELECT
            'BENCH' || i, 'Bench complaint ' || i, '<p>Bench</p>', %(team)s, %(staff)s,
            %(stage)s, %(company)s, t.id, %(service)s, %(division)s, true,
            upper(substr(md5(i::text), 1, 5) || '-' || substr(md5(i::text), 6, 5)), true,
            r.received, r.received + t.target_working_days * interval '1.4 days',
            r.received, r.received,
            CASE WHEN r.received + t.target_working_days * interval '1.4 days'
                      < %(now)s - interval '2 days'
                 THEN 'committee' ELSE 'staff' END,
            CASE WHEN r.received + t.target_working_days * interval '1.4 days' < %(now)s
                 THEN 'overdue'
                 WHEN r.received + t.target_working_days * interval '1.4 days'
                      < %(now)s + interval '1 day'
                 THEN 'due_soon' ELSE 'on_time' END,
            r.received, '1', %(uid)s, %(uid)s, %(now)s, %(now)s
        FROM generate_series(%(start)s, %(stop)s) AS i
        JOIN library_complaint_track t ON t.id = (%(tracks)s)[1 + i %% %(ntracks)s]
        CROSS JOIN LATERAL (
            SELECT %(now)s - (i %% %(history)s) * interval '1 day'
                   - (i %% 97) * interval '5 minutes' AS received
        ) r
        """,
        {
            "team": team.id,
            "staff": staff.id,
            "stage": stage.id,
            "company": env.company.id,
            "service": service.id,
            "division": team.division_id.id,
            "now": now,
            "uid": SUPERUSER_ID,
            "start": start,
            "stop": start + count - 1,
            "tracks": tracks.ids,
            "ntracks": len(tracks),
            "history": HISTORY_DAYS,
        },
    )
    env.invalidate_all()


def scan(env, clock):
    """SQL queries and seconds of every scheduled rule's search."""
    rules = env["library.complaint.escalation.rule"].search(
        [("trigger", "in", ("received_days", "idle_days", "no_first_response", "overdue"))]
    )
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    found = 0
    for rule in rules:
        for tickets, __ in rule._find_tickets_to_escalate(rule._get_time_domain(clock)):
            found += len(tickets)
    return env.cr.sql_log_count - queries, time.perf_counter() - started, found


def open_count(env):
    return env["helpdesk.ticket"].search_count([("stage_id.closed", "=", False)])


def run_benchmark(args):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    configure_odoo(args.db)
    prepare_database(args.db, args.reuse)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        # A working day, in office hours, so that the run does its work.
        now = fields.Datetime.now()
        calendar = env.company._get_complaint_calendar()
        today = calendar._get_local_date(now)
        working = calendar._get_working_dates(today, today + timedelta(days=30))
        if working[0] != today:
            say(f"    {today} is not a working day: the run is timed as on {working[0]}")
        staff, team = prepare_heads(env)
        env["library.complaint.escalation.rule"].create(
            {"name": "Bench: no reply in 3 days", "trigger": "no_first_response", "working_days": 3}
        )
        Ticket = env["helpdesk.ticket"]
        say(f"==> Escalation cron with {SMALL:,} and {LARGE:,} open complaints")
        insert_complaints(env, SMALL, 1, staff, team)
        clock = Ticket._get_escalation_clock()
        small_queries, small_seconds, small_found = scan(env, clock)
        say(
            f"    {open_count(env):>6,} open: scan {small_queries} queries, "
            f"{small_seconds:.3f} s, {small_found} to escalate"
        )
        insert_complaints(env, LARGE - SMALL, SMALL + 1, staff, team)
        large_queries, large_seconds, large_found = scan(env, clock)
        say(
            f"    {open_count(env):>6,} open: scan {large_queries} queries, "
            f"{large_seconds:.3f} s, {large_found} to escalate"
        )
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        escalated, failed = Ticket._run_escalation_rules(clock)
        env.flush_all()
        cr.precommit.run()  # the chatter's tracking, as a commit would write it
        seconds = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        per_escalation = queries / escalated if escalated else float("inf")
        say(
            f"    full run with {LARGE:,} open: {seconds:.2f} s, {queries} queries, "
            f"{escalated} escalated, {failed} failed (target < {TARGET_SECONDS:.0f} s)"
        )
        say(
            f"    queries per escalated complaint: {per_escalation:.1f} "
            f"(target <= {MAX_QUERIES_PER_ESCALATION})"
        )
        ok_scan = small_queries == large_queries
        ok_time = seconds < TARGET_SECONDS and not failed
        ok_queries = per_escalation <= MAX_QUERIES_PER_ESCALATION
        say(
            f"    scan queries {'constant' if ok_scan else 'GROW'} "
            f"({small_queries} vs {large_queries}); full run {'OK' if ok_time else 'TOO SLOW'}; "
            f"queries per escalation {'OK' if ok_queries else 'TOO MANY'}"
        )
        cr.rollback()
    return 0 if ok_scan and ok_time and ok_queries else 1


def main(argv=None):
    return run_main(run_benchmark, parse_args(argv, __doc__, DEFAULT_DB))


if __name__ == "__main__":
    sys.exit(main())
