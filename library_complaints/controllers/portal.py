"""The logged-in patron's side of helpdesk_mgmt's portal, as a complaint form."""

import base64
from datetime import datetime

import pytz
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.api import SUPERUSER_ID
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

TITLE_MAX_LENGTH = 200
LOCATION_MAX_LENGTH = 200
# Shown once after an anonymous submission, then forgotten: the session must
# not keep a link between the patron and their anonymous complaint.
SESSION_TRACKING_CODE = "library_complaints_anonymous_tracking_code"


class LibraryComplaintTicketController(HelpdeskTicketController):
    """/new/ticket asks for the service, the place and the time, and lets the
    patron submit anonymously or keep their name confidential."""

    # ------------------------------------------------------------------
    # Form

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values.update(
            services=request.env["library.complaint.service"].search([]),
            form=kw,
            errors=[],
            title_max_length=TITLE_MAX_LENGTH,
            location_max_length=LOCATION_MAX_LENGTH,
        )
        return values

    def _get_posted_service(self, kw):
        try:
            service_id = int(kw.get("service") or 0)
        except (TypeError, ValueError):
            return request.env["library.complaint.service"]
        # search() rather than browse(): only an active service may be chosen.
        return request.env["library.complaint.service"].search([("id", "=", service_id)])

    def _get_posted_date_observed(self, kw):
        """The posted local date and time as naive UTC, None when invalid."""
        try:
            local = datetime.fromisoformat(kw["date_observed"])
        except (TypeError, ValueError):
            return None
        if local.tzinfo is None:
            tz = pytz.timezone(
                request.env.user.tz or request.env.company.resource_calendar_id.tz or "UTC"
            )
            local = tz.localize(local)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _check_complaint_form(self, kw):
        """The errors of the posted complaint form, to show the patron."""
        errors = []
        subject = (kw.get("subject") or "").strip()
        if not subject:
            errors.append(request.env._("Give your complaint a title."))
        elif len(subject) > TITLE_MAX_LENGTH:
            errors.append(
                request.env._(
                    "The title is too long: at most %(max)s characters.", max=TITLE_MAX_LENGTH
                )
            )
        if not (kw.get("description") or "").strip():
            errors.append(request.env._("Describe what happened."))
        if not self._get_posted_service(kw):
            errors.append(request.env._("Choose the service your complaint is about."))
        if len((kw.get("location") or "").strip()) > LOCATION_MAX_LENGTH:
            errors.append(
                request.env._(
                    "The location is too long: at most %(max)s characters.", max=LOCATION_MAX_LENGTH
                )
            )
        if kw.get("date_observed"):
            observed = self._get_posted_date_observed(kw)
            if observed is None:
                errors.append(
                    request.env._("The date you observed the problem is not a valid date.")
                )
            elif observed > fields.Datetime.now():
                errors.append(request.env._("The date you observed the problem is in the future."))
        return errors

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        service = self._get_posted_service(kw)
        vals.update(
            name=kw["subject"].strip(),
            service_id=service.id,
            location=(kw.get("location") or "").strip() or False,
            date_observed=self._get_posted_date_observed(kw) if kw.get("date_observed") else False,
            channel_id=request.env.ref("library_complaints.channel_portal").id,
            is_anonymous=bool(kw.get("is_anonymous")),
            is_confidential=bool(kw.get("is_confidential")),
        )
        if not vals.get("team_id"):
            team = service.sudo().team_id or request.env.ref(
                "library_complaints.team_library_service_desk"
            )
            vals["team_id"] = team.id
            vals["stage_id"] = team.sudo()._get_applicable_stages()[:1].id
        return vals

    # ------------------------------------------------------------------
    # Routes

    @http.route()
    def submit_ticket(self, **kw):
        errors = self._check_complaint_form(kw)
        if errors:
            values = self._get_create_new_ticket_values(**kw)
            values["errors"] = errors
            return request.render("helpdesk_mgmt.portal_create_ticket", values, status=400)
        if not (kw.get("is_anonymous") or kw.get("is_confidential")):
            return super().submit_ticket(**kw)
        return self._submit_private_complaint(**kw)

    def _submit_private_complaint(self, **kw):
        """Anonymous or confidential: nothing the team sees may name the patron,
        so they are not made a follower and the superuser stores the files."""
        ticket = (
            request.env["helpdesk.ticket"].sudo().create(self._prepare_submit_ticket_vals(**kw))
        )
        Attachment = request.env["ir.attachment"].with_user(SUPERUSER_ID)
        for upload in request.httprequest.files.getlist("attachment"):
            if upload.filename:
                Attachment.create(
                    {
                        "name": upload.filename,
                        "datas": base64.b64encode(upload.read()),
                        "res_model": "helpdesk.ticket",
                        "res_id": ticket.id,
                    }
                )
        if not ticket.is_anonymous:
            return request.redirect(f"/my/ticket/{ticket.id}")
        request.session[SESSION_TRACKING_CODE] = ticket.tracking_code
        return request.redirect("/new/ticket/anonymous")

    @http.route("/new/ticket/anonymous", type="http", auth="user", website=True)
    def anonymous_ticket_submitted(self, **kw):
        code = request.session.pop(SESSION_TRACKING_CODE, None)
        if not code:
            return request.redirect("/my/tickets")
        return request.render(
            "library_complaints.portal_anonymous_complaint_submitted",
            {"tracking_code": code, "status_url": f"/complaint/status?code={code}"},
        )

    @http.route()
    def support_ticket_close(self, **kw):
        # helpdesk_mgmt closes any ticket by id: only one the patron may read.
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id"))).exists()
        except (TypeError, ValueError):
            ticket = None
        if not ticket or not ticket.has_access("read"):
            raise NotFound()
        return super().support_ticket_close(**kw)
