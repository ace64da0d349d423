"""Time facts are facts (#24): the deadline a complaint was promised, its on-time
verdict, its handling days and its quarters are fixed when they happen; a change of
the configuration (a track's target, the public holidays, the working hours, the
quarter basis) never rewrites a closed complaint, and moves an open one only by a
logged event. Received dates stay within their window."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools.quarters import quarter_bounds, quarter_of
from .common import LibraryComplaintsCase
from .test_mail_intake import read_eml

# Monday 22 November 2027, 10:00 in Bangkok: five working days later is Monday 29
# (no public holiday from 22 November to 3 December 2027). In the future, so that no
# demo complaint's period holds the holidays the tests add.
MONDAY = datetime(2027, 11, 22, 3, 0)
WEDNESDAY = datetime(2027, 11, 24)
CLOSING_FACTS = [
    "date_deadline",
    "resolution_timeliness",
    "handling_working_days",
    "closed_quarter",
]


@tagged("post_install", "-at_install")
class TestTimeFacts(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env.ref("library_complaints.resource_calendar_official")
        cls.env.company.complaint_calendar_id = False
        # the notes are written in the language of the company's reports
        cls.env.company.partner_id.lang = "en_US"

    def setUp(self):
        super().setUp()
        if "library.complaint.calendar.change" in self.env.registry:
            self.Changes.search([]).unlink()  # whatever the demo's data queued

    @property
    def Changes(self):
        return self.env["library.complaint.calendar.change"]

    def complaint(self, track, received=MONDAY, closed=None):
        with freeze_time(received):
            ticket = self.create_complaint(track_id=track.id, service_id=self.service.id)
        if closed:
            with freeze_time(closed):
                # a track-2 complaint waits for its heads: the complaint manager closes
                # it with a reason, the one way past the stage gate
                ticket.with_user(self.manager)._close_with_reason("Closed for the test.")
        self.flush_tracking()
        return ticket

    def add_holiday(self, day, name="Office anniversary"):
        """A public holiday added by the complaint manager, as the holiday list does."""
        start = self.calendar._to_utc(day.date())
        holiday = (
            self.env["resource.calendar.leaves"]
            .with_user(self.manager)
            .create(
                {
                    "name": name,
                    "calendar_id": self.calendar.id,
                    "date_from": start,
                    "date_to": start + timedelta(hours=23, minutes=59),
                }
            )
        )
        self.flush_tracking()
        return holiday

    def deadline_notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: "Deadline moved" in (m.body or ""))

    def test_raising_a_track_target_rewrites_no_deadline_nor_verdict(self):
        late = self.complaint(self.track_1, closed=MONDAY + timedelta(days=3))
        open_one = self.complaint(self.track_2)
        self.assertEqual(late.resolution_timeliness, "late")
        before = (late.date_deadline, late.handling_working_days, open_one.date_deadline)
        self.assertEqual(open_one.date_deadline.date().isoformat(), "2027-11-29")

        self.track_1.with_user(self.manager).target_working_days = 30
        self.track_2.with_user(self.manager).target_working_days = 30
        self.flush_tracking()
        self.env.invalidate_all()

        self.assertEqual(late.resolution_timeliness, "late")
        self.assertEqual(
            (late.date_deadline, late.handling_working_days, open_one.date_deadline), before
        )
        self.assertEqual(open_one.deadline_working_days, 5)
        # complaints triaged after the edit get the new target
        newer = self.complaint(self.track_2)
        self.assertEqual(newer.deadline_working_days, 30)
        self.assertGreater(newer.date_deadline, open_one.date_deadline)

    def test_a_holiday_moves_open_deadlines_with_a_note_never_closed_ones(self):
        open_one = self.complaint(self.track_2)
        closed = self.complaint(self.track_2, closed=MONDAY + timedelta(days=1))
        closed_facts = closed.read(CLOSING_FACTS)
        holiday = self.add_holiday(WEDNESDAY)
        self.assertEqual(self.Changes.search_count([]), 1)
        moved = self.Changes._apply_calendar_changes()
        self.flush_tracking()
        self.env.invalidate_all()

        self.assertEqual(moved, open_one)
        self.assertEqual(open_one.date_deadline.date().isoformat(), "2027-11-30")
        self.assertEqual(self.Changes.search_count([]), 0)
        note = self.deadline_notes(open_one)
        self.assertEqual(len(note), 1)
        self.assertIn("Office anniversary", note.body)
        self.assertIn("added", note.body)
        self.assertIn("November 29, 2027", note.body)
        self.assertIn("November 30, 2027", note.body)
        self.assertEqual(closed.read(CLOSING_FACTS), closed_facts)
        self.assertFalse(self.deadline_notes(closed))

        # removed again: the deadline moves back, noted too
        holiday.with_user(self.manager).unlink()
        self.Changes._apply_calendar_changes()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(open_one.date_deadline.date().isoformat(), "2027-11-29")
        notes = self.deadline_notes(open_one)
        self.assertEqual(len(notes), 2)
        self.assertIn("removed", notes.sorted("id")[-1].body)
        self.assertEqual(closed.read(CLOSING_FACTS), closed_facts)

    def test_adding_a_year_of_holidays_moves_the_deadlines_it_reaches(self):
        # Monday 20 December 2027 on track 3: fifteen working days reach into January
        # 2028, whose holidays the calendar does not have yet.
        open_one = self.complaint(self.track_3, received=datetime(2027, 12, 20, 3))
        before = open_one.date_deadline
        wizard = (
            self.env["library.complaint.holiday.wizard"]
            .with_user(self.manager)
            .with_context(lang="en_US")
            .create({"year": 2028})
        )
        wizard.action_create_holidays()
        self.flush_tracking()
        self.Changes._apply_calendar_changes()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertGreater(open_one.date_deadline, before)
        note = self.deadline_notes(open_one)
        self.assertEqual(len(note), 1)
        self.assertIn("New Year&#39;s Day (in lieu)", note.body)

    def test_a_holiday_outside_the_period_moves_nothing(self):
        open_one = self.complaint(self.track_2)
        self.add_holiday(datetime(2027, 12, 2))  # after the deadline
        self.assertFalse(self.Changes._apply_calendar_changes())
        self.assertFalse(self.deadline_notes(open_one))

    def test_the_holiday_job_queries_do_not_grow_with_the_complaints(self):
        tickets = self.env["helpdesk.ticket"]

        def run(count):
            nonlocal tickets
            for __ in range(count):
                tickets |= self.complaint(self.track_2)
            holiday = self.add_holiday(WEDNESDAY)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            moved = self.Changes._apply_calendar_changes()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(moved, tickets)
            holiday.unlink()
            self.Changes._apply_calendar_changes()
            self.flush_tracking()
            return queries

        run(2)  # warm-up
        self.assertEqual(run(3), run(12))

    def test_open_complaints_follow_the_working_hours_closed_ones_keep_theirs(self):
        open_one = self.complaint(self.track_2)
        closed = self.complaint(self.track_2, closed=MONDAY + timedelta(days=3))
        closed_facts = closed.read(["date_deadline", "handling_working_days"])
        wednesdays = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "2")
        self.calendar.attendance_ids = [(2, attendance.id) for attendance in wednesdays]
        self.flush_tracking()
        self.Changes._apply_calendar_changes()
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual(open_one.date_deadline.date().isoformat(), "2027-11-30")
        self.assertIn("working hours", self.deadline_notes(open_one).body)
        self.assertEqual(closed.read(["date_deadline", "handling_working_days"]), closed_facts)
        self.assertFalse(self.deadline_notes(closed))

    def test_a_closed_complaint_keeps_its_quarters_when_the_basis_changes(self):
        self.env.company.complaint_quarter_basis = "fiscal"
        closed = self.complaint(self.track_1, closed=MONDAY + timedelta(days=1))
        open_one = self.complaint(self.track_2)
        self.assertEqual((closed.report_quarter, closed.closed_quarter), ("FY2571-Q1",) * 2)
        self.assertEqual(open_one.report_quarter, "FY2571-Q1")
        self.env.company.complaint_quarter_basis = "calendar"
        self.flush_tracking()
        self.env.invalidate_all()
        self.assertEqual((closed.report_quarter, closed.closed_quarter), ("FY2571-Q1",) * 2)
        # an open complaint is filed again on the new basis
        self.assertEqual(open_one.report_quarter, "2570-Q4")


@tagged("post_install", "-at_install")
class TestReceivedDateBounds(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")

    def phone_complaint(self):
        return self.create_complaint(
            user=self.staff,
            channel_id=self.phone.id,
            track_id=self.track_2.id,
            service_id=self.service.id,
        )

    def assert_refused(self, ticket, value, message):
        before = ticket.sudo().read(["received_date", "date_deadline", "report_quarter"])
        with self.assertRaises(ValidationError) as caught:
            ticket.with_user(self.staff).write({"received_date": value})
        self.flush_tracking()
        ticket.invalidate_recordset()
        self.assertEqual(
            ticket.sudo().read(["received_date", "date_deadline", "report_quarter"]), before
        )
        self.assertIn(message, str(caught.exception))

    def test_not_earlier_than_the_window_before_it_was_recorded(self):
        ticket = self.phone_complaint()
        now = fields.Datetime.now()
        self.assert_refused(ticket, now - timedelta(days=31), "more than 30 days before")
        ticket.with_user(self.staff).write({"received_date": now - timedelta(days=29)})
        self.flush_tracking()
        self.assertEqual(ticket.received_date, now - timedelta(days=29))
        # the window is the company's setting
        self.env.company.complaint_received_date_max_days = 60
        ticket.with_user(self.staff).write({"received_date": now - timedelta(days=45)})
        self.flush_tracking()
        self.assertEqual(ticket.received_date, now - timedelta(days=45))

    def test_not_in_a_quarter_the_committee_approved(self):
        self.env.company.complaint_received_date_max_days = 3650
        ticket = self.phone_complaint()
        Report = self.env["library.complaint.quarter.report"].sudo()
        company = self.env.company
        day = fields.Datetime.now() - timedelta(days=200)
        local = company._get_complaint_calendar()._get_local_date(day)
        year, quarter = quarter_of(local, company.complaint_quarter_basis)
        date_from, __ = quarter_bounds(year, quarter, company.complaint_quarter_basis)
        report = Report.search(
            [("company_id", "=", company.id), ("date_from", "=", date_from)]
        ) or Report._generate_quarter_report(company, year, quarter)
        report.state = "approved"
        self.assert_refused(ticket, day, "already approved")
        report.state = "forwarded"
        self.assert_refused(ticket, day, "already approved")


@tagged("post_install", "-at_install")
class TestMailDateWindow(LibraryComplaintsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "library.test"})
        cls.desk.alias_id.write({"alias_name": "complaints", "alias_domain_id": domain.id})

    def process(self, raw):
        thread_id = self.env["mail.thread"].message_process(False, raw)
        self.flush_tracking()
        return self.env["helpdesk.ticket"].browse(thread_id)

    def test_an_old_date_header_gives_way_to_the_reception_time(self):
        # the sample mail is dated 24 November 2025, over a year ago
        before = fields.Datetime.now()
        complaint = self.process(read_eml("thai_complaint.eml"))
        self.assertGreaterEqual(complaint.received_date, before)
        self.assertLessEqual(complaint.received_date, fields.Datetime.now())

    def test_a_recent_date_header_is_believed(self):
        sent = (fields.Datetime.now() - timedelta(days=3)).replace(microsecond=0)
        raw = read_eml("thai_complaint.eml").replace(
            b"Mon, 24 Nov 2025 09:15:00 +0700",
            sent.strftime("%a, %d %b %Y %H:%M:%S +0000").encode(),
        )
        complaint = self.process(raw)
        self.assertEqual(complaint.received_date, sent)
