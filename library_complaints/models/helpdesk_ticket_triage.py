"""Triage: a new complaint waits in "To Triage" (its first stage) until staff put it on
a severity track and a service and start work.

One rule says what waits for triage: **the complaint is in the To Triage stage**. The
menu, the search filter, the kanban's first column and the status bar all read it, and
only starting work ends it:

- work starts by "Start work" (``action_triage``) or by moving the complaint out of the
  stage (status bar, kanban), both through the one gate (``_check_stage_update``),
  which wants the track and the service first; closing from triage stays possible;
- whoever starts work becomes the owner of a complaint that has none (OdooBot, which
  owns what the mail gateway created, is no one);
- a complaint recorded at the desk ("Record a Complaint") with its track and service
  starts when it is saved: staff triaged it while the patron was there.

The form tells the next step while the complaint waits (``triage_hint``).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

TRIAGE_STAGE = "library_complaints.stage_triage"
STAFF_GROUP = "library_complaints.group_complaint_staff"
# Put in the context by the "Record a Complaint" action: a complaint saved there with
# its track and service leaves triage at once.
START_TRIAGED = "library_complaints_start_triaged"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    triage_hint = fields.Char(
        string="Next step",
        compute="_compute_triage_hint",
        groups="base.group_user",
    )
    complainant_label = fields.Char(
        string="Complainant",
        compute="_compute_complainant_label",
        groups="base.group_user",
        help="Who complained, as staff may see it: the name, or anonymous, or confidential.",
    )

    # ------------------------------------------------------------------
    # The rule

    @api.model
    def _get_triage_stage(self):
        """The To Triage stage (the cached xmlid lookup, no query)."""
        return self.env["helpdesk.ticket.stage"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(TRIAGE_STAGE)
        )

    @api.model
    def _get_to_triage_domain(self):
        """The complaints that wait for triage: in the To Triage stage."""
        return Domain("stage_id", "=", self._get_triage_stage().id)

    # ------------------------------------------------------------------
    # What the form and the list show

    @api.depends("stage_id", "track_id", "service_id")
    @api.depends_context("lang", START_TRIAGED)
    def _compute_triage_hint(self):
        triage = self._get_triage_stage()
        recording = self.env.context.get(START_TRIAGED)
        for ticket in self:
            if ticket.stage_id != triage:
                ticket.triage_hint = False
            elif recording and not ticket._origin:
                ticket.triage_hint = self.env._(
                    "Choose the severity track and the service if you know them: saved "
                    "with them, the complaint leaves To Triage and you handle it."
                )
            elif not ticket.track_id and not ticket.service_id:
                ticket.triage_hint = self.env._(
                    "Next step: choose the severity track and the service, then press "
                    "“Start work”."
                )
            elif not ticket.track_id:
                ticket.triage_hint = self.env._(
                    "Next step: choose the severity track, then press “Start work”."
                )
            elif not ticket.service_id:
                ticket.triage_hint = self.env._(
                    "Next step: choose the service, then press “Start work”."
                )
            else:
                ticket.triage_hint = self.env._(
                    "Next step: press “Start work”. You become the complaint's owner if "
                    "it has none."
                )

    @api.depends("is_anonymous", "is_confidential", "partner_id", "partner_name")
    @api.depends_context("lang")
    def _compute_complainant_label(self):
        for ticket in self:
            if ticket.is_anonymous:
                ticket.complainant_label = self.env._("Anonymous")
            elif ticket.is_confidential:
                ticket.complainant_label = self.env._("Confidential complainant")
            else:
                ticket.complainant_label = (
                    ticket.partner_name or ticket.partner_id.name or ticket.partner_email
                )

    # ------------------------------------------------------------------
    # Work starts only on a triaged complaint (the one gate)

    def _check_stage_update(self, stage, reason=None):
        """Leaving To Triage for an open stage is starting work: it needs the track and
        the service. Closing from triage (fixed on the spot, cancelled, rejected) stays
        the gate's own affair.

        :raise UserError: naming the complaint and what it lacks
        """
        triage = self._get_triage_stage()
        if stage and stage != triage and not stage.closed:
            for ticket in self:
                if ticket.stage_id == triage and not ticket.is_triaged:
                    raise UserError(
                        self.env._(
                            "Set the severity track and the service of %(complaint)s "
                            "before starting work on it.",
                            complaint=ticket.display_name,
                        )
                    )
        return super()._check_stage_update(stage, reason=reason)

    # ------------------------------------------------------------------
    # Who starts work owns the complaint

    def write(self, vals):
        starting = self._get_starting_work(vals)
        if starting and starting == self:
            # one write, one chatter line: the stage and the new owner together
            vals = dict(vals, user_id=self.env.user.id)
            starting = self.browse()
        result = super().write(vals)
        if starting:
            starting.write({"user_id": self.env.user.id})
        return result

    def _get_starting_work(self, vals):
        """Those of the complaints that `vals` takes out of To Triage to an open stage,
        that have no owner, and that the current user may own: a staff member of
        their work group (or of none)."""
        if not vals.get("stage_id") or "user_id" in vals:
            return self.browse()
        user = self.env.user
        if user._is_superuser() or user.share or not user.has_group(STAFF_GROUP):
            return self.browse()
        stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
        triage = self._get_triage_stage()
        if stage == triage or stage.closed:
            return self.browse()
        return self.filtered(
            lambda t: t.stage_id == triage
            and (not t.user_id or t.user_id._is_superuser())
            and (not t.team_id or user in t.team_id.user_ids)
        )

    # ------------------------------------------------------------------
    # Recorded at the desk with its track: triaged already

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if self.env.context.get(START_TRIAGED):
            triage = self._get_triage_stage()
            ready = tickets.filtered(lambda t: t.is_triaged and t.stage_id == triage)
            if ready:
                ready.action_triage()
        return tickets
