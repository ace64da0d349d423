"""The logged-in patron's side of helpdesk_mgmt's portal, as a complaint form."""

from werkzeug.exceptions import BadRequest, NotFound

from odoo import fields, http
from odoo.api import SUPERUSER_ID
from odoo.exceptions import ValidationError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from ..models import library_complaint_form as form_limits
from ..tools.numbers import parse_record_id

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
            title_max_length=form_limits.MAX_TITLE,
            description_max_length=form_limits.MAX_DESCRIPTION,
            location_max_length=form_limits.MAX_LOCATION,
        )
        return values

    def _get_posted_complaint(self, kw):
        """The posted form in the names of the complaint-form check."""
        return {
            "name": kw.get("subject"),
            "description": kw.get("description"),
            "service_id": kw.get("service"),
            "location": kw.get("location"),
            "date_observed": kw.get("date_observed"),
        }

    def _get_posted_choices(self, kw):
        """helpdesk_mgmt's category and team, checked against what the form offers.

        :return: the cleaned ``category`` and ``team`` (ids as strings), and the refusals
        """
        checker = request.env["library.complaint.form"]
        company = request.env.company
        choices, errors = {}, []
        offers = (
            (
                "category",
                company.helpdesk_mgmt_portal_select_category and self._get_categories(),
                company.helpdesk_mgmt_portal_category_id_required,
                request.env._("Choose a category from the list."),
            ),
            (
                "team",
                company.helpdesk_mgmt_portal_select_team and self._get_teams(),
                company.helpdesk_mgmt_portal_team_id_required,
                request.env._("Choose a team from the list."),
            ),
        )
        for fname, offered, required, error in offers:
            if not kw.get(fname) and not (offered and required):
                continue
            record_id = checker._parse_id(kw.get(fname))
            if not offered or record_id not in offered.ids:
                errors.append(error)
            else:
                choices[fname] = str(record_id)
        return choices, errors

    def _check_complaint_form(self, kw):
        """Check the posted complaint form with the one complaint-form check.

        :return: the form cleaned for :meth:`_prepare_submit_ticket_vals`, the
            complaint's checked values, and the values of the accepted attachments
        :raise ValidationError: every problem, one per line
        """
        checker = request.env["library.complaint.form"]
        files = checker._read_uploads(request.httprequest.files.getlist("attachment"))
        choices, errors = self._get_posted_choices(kw)
        try:
            checked, attachment_vals = checker._check_complaint(
                self._get_posted_complaint(kw), files
            )
        except ValidationError as error:
            errors = error.args[0].splitlines() + errors
        if errors:
            raise ValidationError("\n".join(errors))
        form = {
            fname: kw[fname]
            for fname in ("subject", "description", "service", "location", "date_observed")
            if fname in kw
        }
        form.update(
            choices,
            is_anonymous=bool(kw.get("is_anonymous")),
            is_confidential=bool(kw.get("is_confidential")),
        )
        return form, checked, attachment_vals

    def _prepare_submit_ticket_vals(self, checked=None, **kw):
        """The complaint's values from a form :meth:`_check_complaint_form` accepted.

        helpdesk_mgmt's values of a portal ticket (company, category, requester, the
        chosen team, first stage) are built here, not by ``super()``: the complaint
        replaces its channel, subject, description and team, and the lookups of those
        (the web channel, the first stage without a team) were queries for nothing.

        :param dict checked: the complaint's values as the complaint-form check
            returned them; checked again when not given
        """
        env = request.env
        if checked is None:
            checked, errors = env["library.complaint.form"]._check_fields(
                self._get_posted_complaint(kw)
            )
            if errors:
                raise ValidationError("\n".join(errors))
        category = env["helpdesk.ticket.category"].browse(parse_record_id(kw.get("category")) or [])
        company = category.company_id or env.company
        partner = env.user.partner_id
        vals = dict(
            checked,
            company_id=company.id,
            category_id=category.id,
            attachment_ids=False,
            # the cached xmlid lookup, without env.ref()'s query on whether it exists
            channel_id=env["ir.model.data"]._xmlid_to_res_id(
                "library_complaints.channel_portal", raise_if_not_found=True
            ),
            partner_id=partner.id,
            partner_name=partner.name,
            partner_email=partner.email,
            user_id=False,
            is_anonymous=bool(kw.get("is_anonymous")),
            is_confidential=bool(kw.get("is_confidential")),
        )
        if company.helpdesk_mgmt_portal_select_team and kw.get("team"):
            # chosen on the form, where the company allows it
            team = (
                env["helpdesk.ticket.team"]
                .sudo()
                .search([("id", "=", parse_record_id(kw["team"])), ("show_in_portal", "=", True)])
            )
            vals["team_id"] = team.id or vals["team_id"]
        # set, as helpdesk_mgmt does, so that the stage's mail template is sent (cached)
        vals["stage_id"] = env["helpdesk.ticket.stage"]._get_first_stage_id(vals["team_id"])
        return vals

    def _attach_files(self, ticket, attachment_vals, as_system=False):
        """Store the checked files on the complaint; as the system on a private one."""
        attachments = request.env["ir.attachment"]
        attachments = attachments.with_user(SUPERUSER_ID) if as_system else attachments.sudo()
        return attachments.create(
            [dict(vals, res_model=ticket._name, res_id=ticket.id) for vals in attachment_vals]
        )

    # ------------------------------------------------------------------
    # Routes

    # POST only: Odoo checks the CSRF token of a POST, never of a GET
    @http.route(methods=["POST"])
    def submit_ticket(self, **kw):
        try:
            form, checked, attachment_vals = self._check_complaint_form(kw)
        except ValidationError as error:
            values = self._get_create_new_ticket_values(**kw)
            values["errors"] = error.args[0].splitlines()
            return request.render("helpdesk_mgmt.portal_create_ticket", values, status=400)
        if form["is_anonymous"] or form["is_confidential"]:
            return self._submit_private_complaint(
                checked=checked, attachment_vals=attachment_vals, **form
            )
        # helpdesk_mgmt's submit_ticket, with the checked files only
        ticket = (
            request.env["helpdesk.ticket"]
            .sudo()
            .create(self._prepare_submit_ticket_vals(checked=checked, **form))
        )
        ticket.message_subscribe(partner_ids=request.env.user.partner_id.ids)
        self._attach_files(ticket, attachment_vals)
        return request.redirect(f"/my/ticket/{ticket.id}")

    def _submit_private_complaint(self, checked=None, attachment_vals=(), **kw):
        """Anonymous or confidential: nothing the team sees may name the patron.

        The superuser creates the complaint and stores the files (a new
        environment, not sudo(), which would keep the patron as their creator
        and last editor); the patron is no follower; a confidential patron's
        identity goes to its own record, which only complaint managers read.
        """
        ticket = (
            request.env["helpdesk.ticket"]
            .with_user(SUPERUSER_ID)
            .create(self._prepare_submit_ticket_vals(checked=checked, **kw))
        )
        self._attach_files(ticket, attachment_vals, as_system=True)
        # written now, by the superuser: the request's last flush would sign as the patron
        ticket.flush_recordset()
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

    # POST only, with the session's CSRF token (Odoo checks it on a POST, never on a
    # GET): following a link or loading an image must not close a complaint.
    @http.route(methods=["POST"], csrf=True)
    def support_ticket_close(self, **kw):
        # helpdesk_mgmt makes an int of every *_id and closes any ticket by id:
        # only record numbers, and only a ticket the patron may read.
        checker = request.env["library.complaint.form"]
        ids = {
            fname: checker._parse_id(value) for fname, value in kw.items() if fname.endswith("_id")
        }
        invalid = sorted(fname for fname, record_id in ids.items() if record_id is None)
        if invalid:
            raise BadRequest(
                request.env._(
                    "This request is not valid: %(fields)s must be record numbers.",
                    fields=", ".join(invalid),
                )
            )
        ticket = request.env["helpdesk.ticket"].browse(ids.get("ticket_id") or []).exists()
        if not ticket or not ticket.has_access("read"):
            raise NotFound()
        return super().support_ticket_close(**dict(kw, **{k: str(v) for k, v in ids.items()}))


class LibraryComplaintPortal(CustomerPortalHelpdesk):
    """/my/tickets: helpdesk_mgmt looks up the sort, grouping, search field and
    dates as given, so an unknown one was a 500; it is now left out."""

    @http.route()
    def portal_my_tickets(
        self,
        page=1,
        date_begin=None,
        date_end=None,
        sortby=None,
        filterby=None,
        search=None,
        search_in=None,
        groupby=None,
        **kw,
    ):
        if sortby not in self._ticket_get_searchbar_sortings():
            sortby = None
        if groupby not in self._ticket_get_searchbar_groupby():
            groupby = None
        if search_in not in self._ticket_get_searchbar_inputs():
            search_in = None
        if search:
            search = form_limits.CONTROL_CHARACTERS_RE.sub("", search)
        try:
            fields.Datetime.to_datetime(date_begin)
            fields.Datetime.to_datetime(date_end)
        except (TypeError, ValueError):
            date_begin = date_end = None
        return super().portal_my_tickets(
            page=page,
            date_begin=date_begin,
            date_end=date_end,
            sortby=sortby,
            filterby=filterby,
            search=search,
            search_in=search_in,
            groupby=groupby,
            **kw,
        )
