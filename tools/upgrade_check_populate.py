"""Complaints at every stage of the workflow, made through the workflow's own
methods by the demo roles, in a database of an OLDER revision of the addon
(`./dev upgrade-check REV`, tools/upgrade_check.py runs it in ``odoo shell``).

It may call only what exists at REV: ``call()`` refuses, with a clear message, a
method the revision does not have. When a later release renames or removes one
of these methods, branch on ``env["ir.module.module"]`` 's installed version here
and keep the old call for the old releases.

Run: ``main(env)``; prints one line per complaint made.
"""

import base64
from datetime import timedelta

from odoo import fields
from odoo.fields import Command

ADDON = "library_complaints"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class MissingAtRevision(Exception):
    pass


def call(records, method, *args, **kwargs):
    """records.method(*args), refused when the revision's model has no such method."""
    if not callable(getattr(type(records), method, None)):
        raise MissingAtRevision(
            f"{records._name}.{method} does not exist at this revision: "
            "tools/upgrade_check_populate.py must use the revision's own API"
        )
    return getattr(records, method)(*args, **kwargs)


def wizard(env, model, user, vals, context=None):
    return env[model].with_user(user).with_context(**(context or {})).create(vals)


def main(env):
    env = env(context=dict(env.context, tracking_disable=False, lang="en_US"))
    ref = env.ref
    users = {
        role: ref(f"{ADDON}.user_{role}")
        for role in ("staff", "wg_head", "division_head", "committee", "manager", "patron")
    }
    staff = users["staff"]
    desk = ref(f"{ADDON}.team_library_service_desk")
    service = ref(f"{ADDON}.service_information")
    track = {n: ref(f"{ADDON}.{x}") for n, x in TRACKS.items()}
    Ticket = env["helpdesk.ticket"]
    made = []

    def flush():
        # what the end of a request does before its commit
        env.flush_all()
        env.cr.precommit.run()

    def complaint(label, **vals):
        ticket = Ticket.with_user(staff).create(
            {
                "name": f"Upgrade check: {label}",
                "description": f"<p>{label}: made at the old revision.</p>",
                "team_id": desk.id,
                "user_id": staff.id,
                "partner_id": users["patron"].partner_id.id,
                **vals,
            }
        )
        ticket = ticket.with_user(staff)
        # a file of the complainant, and one posted in the chatter
        env["ir.attachment"].create(
            {
                "name": f"{label}.png",
                "datas": base64.b64encode(PNG),
                "res_model": "helpdesk.ticket",
                "res_id": ticket.id,
            }
        )
        ticket.message_post(
            body=f"Photo of {label}",
            attachments=[(f"{label}-chatter.pdf", PDF + label.encode())],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        made.append((label, ticket))
        flush()
        return ticket

    def triage(ticket, track_name):
        ticket.write({"track_id": track[track_name].id, "service_id": service.id})
        call(ticket, "action_triage")
        flush()

    def comment(ticket, user, action, text):
        vals = {"ticket_ids": [Command.set(ticket.ids)], "action": action, "comment": text}
        call(wizard(env, "library.complaint.comment.wizard", user, vals), "action_confirm")
        flush()

    # 1. new, not triaged
    complaint("new")

    # 2. track 1: fixed on the spot, outcome published on the website and the
    #    noticeboard (its notice), then surveyed
    fixed = complaint("track 1 fixed, published, surveyed")
    triage(fixed, "1")
    fix_vals = {"ticket_id": fixed.id, "resolution": "Refilled the printer's paper tray."}
    call(wizard(env, "library.complaint.fix.wizard", staff, fix_vals), "action_confirm")
    fixed.write({"outcome_found": "The tray was empty.", "outcome_done": "Staff refilled it."})
    flush()
    publish = {
        "send_direct": False,
        "send_email": False,
        "send_website": True,
        "send_noticeboard": True,
        "location_ids": [Command.set(ref(f"{ADDON}.notice_location_main_entrance").ids)],
    }
    outcome_wizard = wizard(
        env,
        "library.complaint.outcome.wizard",
        staff,
        publish,
        {"default_ticket_id": fixed.id},
    )
    # the notice itself is printed on download (no stored file): the records stay
    call(outcome_wizard, "action_publish")
    flush()
    survey_answers(env, Ticket, fixed, flush)

    # 3. track 2: approved by the work-group head, then the division head
    approved = complaint("track 2 approved by both heads")
    triage(approved, "2")
    call(approved.with_user(users["wg_head"]), "action_approve")
    flush()
    call(approved.with_user(users["division_head"]), "action_approve")
    flush()

    # 4. track 2: returned to staff with a comment, then submitted again
    returned = complaint("track 2 returned and submitted again")
    triage(returned, "2")
    comment(returned, users["wg_head"], "return", "Say which floor, please.")
    call(returned, "action_submit_for_approval")
    flush()

    # 5. track 4: refused by the division head
    refused = complaint("track 4 refused")
    triage(refused, "4")
    comment(refused, users["division_head"], "refuse", "No budget this year.")

    # 6. track 3: staff cannot fix it: proposed to the committee, decided at a held meeting
    decided = complaint("track 3 decided by the committee")
    triage(decided, "3")
    comment(decided, staff, "cannot_fix", "The shelving needs a contractor.")
    committee_decision(env, users["committee"], decided, flush)

    # 7. track 3 and overdue: the escalation rules move it up
    overdue = complaint("track 3 overdue, escalated")
    triage(overdue, "3")
    escalate_later(env, Ticket, flush)

    for label, ticket in made:
        ticket.invalidate_recordset()
        print(
            f"upgrade-check: made {ticket.sudo().display_name!r} ({label}), stage "
            f"{ticket.sudo().stage_id.name}",
            flush=True,
        )
    return made


TRACKS = {
    "1": "track_1_on_the_spot",
    "2": "track_2_escalate_heads",
    "3": "track_3_satisfaction",
    "4": "track_4_budget",
}


def committee_decision(env, member, ticket, flush):
    """The complaint's agenda item (on the demo's open meeting, or a new one):
    the meeting is scheduled, the committee approves it, the meeting is held."""
    Item = env["library.complaint.meeting.item"].with_user(member)
    item = Item.search([("ticket_id", "=", ticket.id)], limit=1)
    if not item:
        meeting = (
            env["library.complaint.meeting"]
            .with_user(member)
            .create(
                {
                    "name": "MT upgrade check",
                    "date_start": fields.Datetime.now() + timedelta(days=30),
                }
            )
        )
        if ticket not in meeting.item_ids.ticket_id:
            call(meeting, "action_load_proposals")
        item = meeting.item_ids.filtered(lambda i: i.ticket_id == ticket)
    meeting = item.meeting_id.with_user(member)
    if meeting.state == "draft":
        call(meeting, "action_schedule")
    item.write({"decision": "approve", "root_cause": "Old shelving", "note": "Replace it."})
    (meeting.item_ids - item).filtered(lambda i: not i.decision).write({"decision": "defer"})
    flush()
    call(meeting, "action_mark_held")
    flush()


def escalate_later(env, Ticket, flush):
    """The escalation job as it runs two months from now: overdue complaints move up."""
    clock = call(Ticket.sudo(), "_get_escalation_clock", fields.Datetime.now() + timedelta(days=60))
    call(Ticket.sudo(), "_run_escalation_rules", clock)
    flush()


def survey_answers(env, Ticket, ticket, flush):
    """The survey job a day after the resolution invites the complainant, who answers."""
    call(Ticket.sudo(), "_run_satisfaction_survey", fields.Datetime.now() + timedelta(days=1))
    flush()
    answers = ticket.sudo().survey_user_input_ids
    if not answers:
        raise RuntimeError(f"{ticket.display_name}: the survey job invited nobody")
    answer = answers[0]
    for question in answer.survey_id.question_ids.filtered(lambda q: q.question_type == "scale"):
        call(answer, "_save_lines", question, "4")
    call(answer, "_mark_done")
    flush()
