from . import library_complaint_track
from . import library_complaint_division
from . import library_complaint_service
from . import library_complaint_rate_limit
from . import helpdesk_ticket_team
from . import helpdesk_ticket
