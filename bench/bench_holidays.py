"""Benchmark of the job that moves open complaints' deadlines when a public holiday is
added, with 2,000 and 20,000 open complaints.

Run it with ``.local/venv/bin/python bench/bench_holidays.py`` once PostgreSQL runs
(``--db`` and ``--reuse`` as the other benchmarks). It creates its own database
(``library_bench_holidays``, no demo data; ``--reuse`` keeps an existing one), fills it
in one transaction that it rolls back at the end, and prints:

1. the SQL queries of the job (the holiday's change applied: open complaints read,
   deadlines planned again, the moved ones written, a chatter note on each) with 2,000
   and then 20,000 open complaints: they must be equal;
   (after a warm-up run, which reads the code translations once per process);
2. the seconds of the job with 20,000 open complaints, flush and pre-commit hooks
   included: target under 5 s.

It exits with 1 when a target is missed.

The complaints are inserted with SQL as in bench_escalation.py (received over the last
120 days on the four tracks), their deadlines then planned on the calendar; the
holiday is the first working day of the second week to come, so that every open
complaint whose period holds it moves (those of tracks 3 and 4 received lately).
"""

import sys
import time
from datetime import timedelta

from bench_complaints import configure_odoo, parse_args, prepare_database, run_main, say
from bench_escalation import LOG_DIR, insert_complaints, prepare_heads

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry

DEFAULT_DB = "library_bench_holidays"
SMALL, LARGE = 2_000, 20_000
TARGET_SECONDS = 5.0


def settle_deadlines(env, calendar):
    """Give the inserted complaints the deadline the calendar gives them (not timed)."""
    env.cr.execute(
        """
        SELECT t.id, t.received_date, tr.target_working_days
          FROM helpdesk_ticket t JOIN library_complaint_track tr ON tr.id = t.track_id
         WHERE t.number LIKE 'BENCH%%'
        """
    )
    rows = env.cr.fetchall()
    deadlines = calendar._plan_working_days_after([(received, days) for __, received, days in rows])
    env.cr.execute(
        """
        UPDATE helpdesk_ticket t SET date_deadline = m.deadline, deadline_working_days = m.days
          FROM unnest(%s::int[], %s::timestamp[], %s::int[]) AS m(id, deadline, days)
         WHERE t.id = m.id
        """,
        ([row[0] for row in rows], deadlines, [row[2] for row in rows]),
    )
    env.invalidate_all()


def run_job(env, calendar, day, name):
    """Add a public holiday on `day`, then time the job: (queries, seconds, moved)."""
    start = calendar._to_utc(day)
    env["resource.calendar.leaves"].create(
        {
            "name": name,
            "calendar_id": calendar.id,
            "date_from": start,
            "date_to": start + timedelta(hours=23, minutes=59),
        }
    )
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    moved = env["library.complaint.calendar.change"]._apply_calendar_changes()
    env.flush_all()
    env.cr.precommit.run()
    seconds = time.perf_counter() - started
    return env.cr.sql_log_count - queries, seconds, len(moved)


def run_benchmark(args):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    configure_odoo(args.db)
    prepare_database(args.db, args.reuse)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        calendar = env.company._get_complaint_calendar()
        today = calendar._get_local_date(fields.Datetime.now())
        days = calendar._get_working_dates(today + timedelta(days=7), today + timedelta(days=40))
        staff, team = prepare_heads(env)
        say(f"==> Holiday job with {SMALL:,} and {LARGE:,} open complaints")
        insert_complaints(env, SMALL, 1, staff, team)
        settle_deadlines(env, calendar)
        # warm-up: the code translations and the xmlid lookups a first run reads
        run_job(env, calendar, days[2], "Bench warm-up")
        small_queries, small_seconds, small_moved = run_job(env, calendar, days[0], "Bench 1")
        say(
            f"    {SMALL:>6,} open: {small_queries} queries, {small_seconds:.2f} s, "
            f"{small_moved} moved"
        )
        insert_complaints(env, LARGE - SMALL, SMALL + 1, staff, team)
        settle_deadlines(env, calendar)
        large_queries, large_seconds, large_moved = run_job(env, calendar, days[1], "Bench 2")
        say(
            f"    {LARGE:>6,} open: {large_queries} queries, {large_seconds:.2f} s, "
            f"{large_moved} moved (target < {TARGET_SECONDS:.0f} s)"
        )
        cr.rollback()
    ok_queries = small_queries == large_queries
    ok_time = large_seconds < TARGET_SECONDS
    failed = [] if ok_queries else ["queries grow with the complaints"]
    failed += [] if ok_time else [f"{large_seconds:.2f} s >= {TARGET_SECONDS:.0f} s"]
    say(f"==> {'FAILED: ' + '; '.join(failed) if failed else 'all targets met'}")
    return 1 if failed else 0


def main(argv=None):
    return run_main(run_benchmark, parse_args(argv, __doc__, DEFAULT_DB))


if __name__ == "__main__":
    sys.exit(main())
