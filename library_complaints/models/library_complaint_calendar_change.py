from odoo import api, fields, models
from odoo.fields import Domain


class LibraryComplaintCalendarChange(models.Model):
    """A change of a working calendar that open complaints' deadlines must follow: a
    public holiday added, removed or moved, or the working hours changed.

    Written in the transaction that changes the calendar; the scheduled action
    (triggered at once) moves the deadlines of the open complaints on that calendar
    in one batch, notes each move in the complaint's chatter, then deletes it.
    Closed complaints never move.
    """

    _name = "library.complaint.calendar.change"
    _description = "Working calendar change to apply to open complaints"
    _order = "id"

    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        required=True,
        index=True,
        ondelete="cascade",
    )
    kind = fields.Selection(
        selection=[
            ("holiday_added", "Public holiday added"),
            ("holiday_removed", "Public holiday removed"),
            ("holiday_changed", "Public holiday changed"),
            ("hours", "Working hours changed"),
        ],
        required=True,
    )
    name = fields.Char(help="The holiday's name, or the calendar's for its working hours.")
    date_from = fields.Datetime(help="Start of the holiday (empty for working hours).")
    date_to = fields.Datetime(help="End of the holiday (empty for working hours).")

    @api.model
    def _queue(self, vals_list):
        """Record the changes and wake the scheduled action up after the commit."""
        if not vals_list or self.env.context.get("install_mode"):
            # nothing to move while the module's data is loaded
            return
        self.sudo().create(vals_list)
        cron = self.env.ref("library_complaints.ir_cron_move_deadlines", raise_if_not_found=False)
        if cron:  # not yet while the module installs
            cron.sudo()._trigger()

    def _get_reason(self):
        """The reason a complaint's deadline moved, in the context's language."""
        self.ensure_one()
        reasons = {
            "holiday_added": self.env._("public holiday “%(name)s” added"),
            "holiday_removed": self.env._("public holiday “%(name)s” removed"),
            "holiday_changed": self.env._("public holiday “%(name)s” changed"),
            "hours": self.env._("working hours of “%(name)s” changed"),
        }
        return reasons[self.kind] % {"name": self.name or ""}

    def _concerns(self, received, deadlines):
        """Whether the change lies in the period from `received` to the latest of
        `deadlines` (a change of working hours concerns every period)."""
        self.ensure_one()
        if not self.date_from:
            return True
        return self.date_from <= max(deadlines) and self.date_to >= received

    @api.model
    def _cron_move_deadlines(self):
        """Apply the queued calendar changes to the open complaints, one calendar per
        committed step (a failed step is rolled back whole and retried next run)."""
        calendars = self.env["resource.calendar"].union(
            *(calendar for [calendar] in self.sudo()._read_group([], ["calendar_id"]))
        )
        for calendar in calendars:
            self._apply_calendar_changes(calendar)
            self.env["ir.cron"]._commit_progress(1, remaining=len(calendars))

    @api.model
    def _apply_calendar_changes(self, calendar=None):
        """Move the open complaints' deadlines for the queued changes (of `calendar`,
        or of every calendar), then forget the changes.

        :return: the complaints whose deadline moved
        """
        domain = Domain("calendar_id", "=", calendar.id) if calendar else Domain.TRUE
        changes = self.sudo().search(domain)
        moved = self.env["helpdesk.ticket"]
        for changed_calendar in changes.calendar_id:
            batch = changes.filtered(lambda c, cal=changed_calendar: c.calendar_id == cal)
            moved |= moved._move_deadlines(changed_calendar, batch)
        changes.unlink()
        return moved

    @api.model
    def _get_open_complaints_domain(self, calendar, changes):
        """The open complaints counted on `calendar` whose period may contain a change."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search(
                Domain("complaint_calendar_id", "=", calendar.id)
                | Domain("complaint_calendar_id", "=", False)
            )
            .filtered(lambda c: c._get_complaint_calendar() == calendar)
        )
        domain = (
            Domain("company_id", "in", companies.ids)
            & Domain("stage_id.closed", "=", False)
            & Domain("date_deadline", "!=", False)
            & Domain("received_date", "!=", False)
        )
        if all(change.date_from for change in changes):
            # the period (received .. deadline) contains the day: a removed holiday
            # lies before the old deadline too
            domain &= Domain("date_deadline", ">=", min(changes.mapped("date_from"))) & Domain(
                "received_date", "<=", max(changes.mapped("date_to"))
            )
        return domain
