from odoo import api, models
from odoo.exceptions import AccessError, MissingError

STATUS_API_GROUP = "library_complaints.group_complaint_status_api"


class HelpdeskTicket(models.Model):
    """The public status of a complaint for another system (a campus portal) over
    Odoo's external API (JSON-2), as the public page /complaint/status shows it."""

    _inherit = "helpdesk.ticket"

    @api.model
    @api.readonly
    def get_public_status(self, tracking_code):
        """What anyone holding the tracking code sees of the complaint on
        /complaint/status (no one's identity), for a user of the group
        "Complaint status API" only, who reads no complaint otherwise.

        ``POST /json/2/helpdesk.ticket/get_public_status`` with
        ``{"tracking_code": "ABCDE-FGH23"}``; it writes nothing. Unknown codes are
        not throttled here as on the page: the calling system throttles its visitors.

        :raise AccessError: for anyone else
        :raise ValidationError: when it cannot be a tracking code
        :raise MissingError: when no complaint has this tracking code
        """
        if not self.env.user.has_group(STATUS_API_GROUP):
            raise AccessError(
                self.env._(
                    "Only a user of the group “Complaint status API” may look up "
                    "a complaint's status by its tracking code."
                )
            )
        status = self._get_public_status(self._normalize_tracking_code(tracking_code))
        if not status:
            raise MissingError(
                self.env._("No complaint has this tracking code. Check the code and try again.")
            )
        return status
