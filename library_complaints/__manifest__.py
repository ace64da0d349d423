# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Library Complaints",
    "summary": "Complaint management for a university library office, "
    "on the OCA helpdesk: severity tracks, escalation, MT committee, surveys",
    "version": "19.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "library_complaints developers",
    "website": "https://github.com/library-complaints/library_complaints",
    "depends": [
        "helpdesk_mgmt",
        "resource",
        "calendar",
        "survey",
        "website",
    ],
    "data": [
        "security/library_complaints_security.xml",
        "security/ir.model.access.csv",
        "data/library_complaint_track_data.xml",
        "data/library_complaint_data.xml",
        "data/mail_template_data.xml",
        "views/library_complaint_track_views.xml",
        "views/library_complaint_service_views.xml",
        "views/library_complaint_division_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "wizard/library_complaint_fix_wizard_views.xml",
        "views/library_complaints_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/helpdesk_ticket_demo.xml",
    ],
    "application": True,
}
