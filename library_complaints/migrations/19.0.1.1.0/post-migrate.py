"""One "What was done": the complaint's resolution is the source of truth and the
outcome's `done` its text. An outcome's own "What was done about it", written
before, is kept: added to the complaint's resolution where that does not say it
already (the change is noted in the complaint's chatter). The shipped services get
their default noticeboard."""

from odoo import SUPERUSER_ID, api
from odoo.tools import html2plaintext, is_html_empty, plaintext2html


def _normalize(text):
    return " ".join((text or "").split())


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    # the outcomes' own texts, as stored before `done` followed the complaint
    cr.execute("SELECT id, ticket_id, done FROM library_complaint_outcome WHERE done IS NOT NULL")
    rows = cr.fetchall()
    Ticket = env["helpdesk.ticket"].with_context(active_test=False)
    for __, ticket_id, done in rows:
        done = (done or "").strip()
        ticket = Ticket.browse(ticket_id).exists()
        if not done or not ticket:
            continue
        resolution = ticket.resolution
        text = "" if is_html_empty(resolution) else html2plaintext(resolution)
        if _normalize(done) in _normalize(text):
            continue
        ticket.write(
            {"resolution": plaintext2html(done) if not text else resolution + plaintext2html(done)}
        )
    Outcome = env["library.complaint.outcome"].with_context(active_test=False)
    outcomes = Outcome.search([])
    env.add_to_compute(Outcome._fields["done"], outcomes)
    outcomes.flush_recordset(["done"])

    for service_xmlid, location_xmlid in (
        ("library_complaints.service_information", "notice_location_main_entrance"),
        ("library_complaints.service_learning_media", "notice_location_learning_commons"),
    ):
        service = env.ref(service_xmlid, raise_if_not_found=False)
        location = env.ref(f"library_complaints.{location_xmlid}", raise_if_not_found=False)
        if service and location and not service.notice_location_id:
            service.notice_location_id = location
    # the demo's services get the demo's outcome audience (demo/..._notice_location_demo.xml)
    for service_xmlid, partner_xmlid in (
        ("library_complaints.service_information", "partner_demo_information_users"),
        ("library_complaints.service_learning_media", "partner_demo_learning_media_users"),
    ):
        service = env.ref(service_xmlid, raise_if_not_found=False)
        partner = env.ref(f"library_complaints.{partner_xmlid}", raise_if_not_found=False)
        if service and partner and not service.outcome_audience_ids:
            service.outcome_audience_ids = partner
