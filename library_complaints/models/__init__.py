from . import helpdesk_ticket, library_complaint_track
