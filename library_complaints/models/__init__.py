from . import library_complaint_track
from . import library_complaint_division
from . import library_complaint_service
from . import helpdesk_ticket_team
from . import helpdesk_ticket
