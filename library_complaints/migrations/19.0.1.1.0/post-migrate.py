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

    # the shipped services' default noticeboard; the demo's services, the demo's
    # outcome audience (demo/..._notice_location_demo.xml)
    _preset_services(env, "notice_location_id", NOTICEBOARDS)
    _preset_services(env, "outcome_audience_ids", DEMO_AUDIENCES)


NOTICEBOARDS = {
    "library_complaints.service_information": "notice_location_main_entrance",
    "library_complaints.service_learning_media": "notice_location_learning_commons",
}
DEMO_AUDIENCES = {
    "library_complaints.service_information": "partner_demo_information_users",
    "library_complaints.service_learning_media": "partner_demo_learning_media_users",
}


def _preset_services(env, fname, values):
    """Set `fname` of each service (xmlid) to its record (xmlid in this addon), where
    both exist and the service has none yet."""
    for service_xmlid, value_xmlid in values.items():
        service = env.ref(service_xmlid, raise_if_not_found=False)
        value = env.ref(f"library_complaints.{value_xmlid}", raise_if_not_found=False)
        if service and value and not service[fname]:
            service[fname] = value
