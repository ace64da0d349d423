from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain

# Where a complaint reaches a person before it reaches the system: staff record it
# afterwards and give it the moment it was really received. The web form and the
# portal stamp that moment themselves.
RECEIVED_BY_HAND_CHANNELS = (
    "library_complaints.channel_walk_in",
    "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "helpdesk_mgmt.helpdesk_ticket_channel_email",
)
# The forms stamp their own channel: a complaint sent through them keeps it, so that
# it cannot be made "received by phone" and then back-dated.
FORM_CHANNELS = ("library_complaints.channel_web_form", "library_complaints.channel_portal")


class HelpdeskTicket(models.Model):
    """When a complaint was received: staff correct it for a complaint taken at the
    desk, by phone or by email while it waits for triage; its deadline and its
    quarter follow (helpdesk_ticket_deadline.py)."""

    _inherit = "helpdesk.ticket"

    can_edit_received_date = fields.Boolean(compute="_compute_can_edit_received_date")

    @api.depends("stage_id", "channel_id")
    @api.depends_context("uid")
    def _compute_can_edit_received_date(self):
        is_staff = self.env.user.has_group("library_complaints.group_complaint_staff")
        triage, channels = self._get_received_date_rule()
        for ticket in self:
            ticket.can_edit_received_date = (
                is_staff and ticket.stage_id == triage and ticket.channel_id in channels
            )

    @api.constrains("received_date")
    def _check_received_date(self):
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.received_date and ticket.received_date > now:
                raise ValidationError(
                    self.env._(
                        "A complaint cannot be received in the future: check the "
                        "received date of %(complaint)s.",
                        complaint=ticket.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        dated = [
            "received_date" in vals or "default_received_date" in self.env.context
            for vals in vals_list
        ]
        tickets = super().create(vals_list)
        if not self.env.su and any(dated):
            # checked on the complaints as created: their stage comes from their team
            tickets.browse(
                ticket.id for ticket, given in zip(tickets, dated, strict=True) if given
            )._check_received_date_editable()
        return tickets

    def write(self, vals):
        if "channel_id" in vals and not self.env.su:
            self._check_form_channel_kept(vals["channel_id"])
        if "received_date" in vals and not self.env.su:
            self._check_received_date_editable(vals)
        return super().write(vals)

    def _check_form_channel_kept(self, channel_id):
        """:raise AccessError: when a complaint sent through a form would change channel"""
        forms = self._get_channels(FORM_CHANNELS)
        moved = self.filtered(lambda t: t.channel_id in forms and t.channel_id.id != channel_id)
        if moved:
            raise AccessError(
                self.env._(
                    "%(complaint)s was sent through the website or the portal: its "
                    "channel is kept.",
                    complaint=moved[0].display_name,
                )
            )

    @api.model
    def _get_channels(self, xmlids):
        """The channels of `xmlids` that exist (cached xmlid lookups, no query)."""
        ModelData = self.env["ir.model.data"]
        ids = [ModelData._xmlid_to_res_id(xmlid, raise_if_not_found=False) for xmlid in xmlids]
        return self.env["helpdesk.ticket.channel"].browse(filter(None, ids))

    @api.model
    def _get_received_date_rule(self):
        """(the triage stage, the channels of complaints received by hand)."""
        return (
            self.env.ref("library_complaints.stage_triage"),
            self._get_channels(RECEIVED_BY_HAND_CHANNELS),
        )

    def _check_received_date_editable(self, vals=None):
        """Refuse setting when the complaints were received, unless staff set it on
        complaints received by hand that wait for triage, before and after `vals`.

        :raise AccessError: naming the field and the complaint
        """
        field = self._fields["received_date"]._description_string(self.env)
        if not self.env.user.has_group("library_complaints.group_complaint_staff"):
            raise AccessError(
                self.env._("Only complaint staff may change “%(field)s”.", field=field)
            )
        vals = vals or {}
        triage, channels = self._get_received_date_rule()
        new_stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
        new_channel = channels.browse(vals.get("channel_id"))
        for ticket in self:
            stages = ticket.stage_id | (new_stage if "stage_id" in vals else ticket.stage_id)
            if stages != triage:
                raise AccessError(
                    self.env._(
                        "“%(field)s” of %(complaint)s can no longer be changed: it is "
                        "kept once the complaint has left triage.",
                        field=field,
                        complaint=ticket.display_name,
                    )
                )
            used = ticket.channel_id | (new_channel if "channel_id" in vals else ticket.channel_id)
            if not used or used - channels:
                raise AccessError(
                    self.env._(
                        "“%(field)s” of %(complaint)s cannot be changed: only a complaint "
                        "received at the desk, by phone or by email is dated by staff; "
                        "the web form and the portal date theirs.",
                        field=field,
                        complaint=ticket.display_name,
                    )
                )
        self._check_received_date_bounds(vals)

    # ------------------------------------------------------------------
    # Bounds: not before the window, not in a quarter the committee approved

    @api.model
    def _get_received_date_floor(self, company, recorded):
        """The earliest received date allowed for a complaint recorded at `recorded`
        (naive UTC): the company's window of days back."""
        return recorded - timedelta(days=max(company.complaint_received_date_max_days, 0))

    @api.model
    def _get_approved_quarter_report(self, company, received):
        """The approved or forwarded quarterly summary whose quarter holds `received`."""
        day = company._get_complaint_calendar()._get_local_date(received)
        return (
            self.env["library.complaint.quarter.report"]
            .sudo()
            .search(
                Domain("company_id", "=", company.id)
                & Domain("state", "in", ("approved", "forwarded"))
                & Domain("date_from", "<=", day)
                & Domain("date_to", ">", day),
                limit=1,
            )
        )

    @api.model
    def _is_received_date_believable(self, company, received, recorded):
        """Whether `received` may be a complaint's received date when recorded at
        `recorded`: not in the future, within the window, outside approved quarters."""
        return (
            received <= recorded
            and received >= self._get_received_date_floor(company, recorded)
            and not self._get_approved_quarter_report(company, received)
        )

    def _check_received_date_bounds(self, vals):
        """:raise ValidationError: when a received date given by staff lies before the
        company's window or inside a quarter whose summary is approved or forwarded"""
        now = fields.Datetime.now()
        for ticket in self:
            received = (
                fields.Datetime.to_datetime(vals["received_date"])
                if "received_date" in vals
                else ticket.received_date
            )
            if not received:
                continue
            company = (ticket.company_id or self.env.company).sudo()
            recorded = ticket.create_date or now
            days = company.complaint_received_date_max_days
            if received < self._get_received_date_floor(company, recorded):
                raise ValidationError(
                    self.env._(
                        "%(complaint)s cannot be dated more than %(days)s days before it "
                        "was recorded (%(recorded)s): ask a complaint manager to change "
                        "the window in the settings if a complaint really waited longer.",
                        complaint=ticket.display_name,
                        days=days,
                        recorded=company._format_long_date(recorded),
                    )
                )
            report = self._get_approved_quarter_report(company, received)
            if report:
                raise ValidationError(
                    self.env._(
                        "%(complaint)s cannot be dated in %(quarter)s: the quarterly "
                        "summary of that quarter is already approved by the MT committee.",
                        complaint=ticket.display_name,
                        quarter=report.display_name,
                    )
                )
