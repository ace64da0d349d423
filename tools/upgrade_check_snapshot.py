"""Snapshot of what an upgrade must keep, as JSON (`./dev upgrade-check`, run in
``odoo shell`` before and after ``-u library_complaints``).

Every stored field (binary contents as their checksum) of every complaint
(helpdesk.ticket: number, stage, track, dates, deadline, outcome...) and of every
record of the addon's own models (approval history, escalations, meetings and
their items: the committee's decisions, outcomes, notices...), of the messages
and tracking values of those records, their attachments (checksum, size, name),
their activities and the satisfaction survey answers; and the addon's schema
(its models' fields as ir.model.fields lists them) with its installed version.

Run: ``main(env, "out.json")``.
"""

import datetime
import hashlib
import json

ADDON = "library_complaints"
# the ORM's own book-keeping: an upgrade may touch it without changing a fact
SKIPPED_FIELDS = {"write_date", "write_uid"}


def addon_models(env):
    """helpdesk.ticket and the addon's own stored models."""
    names = ["helpdesk.ticket"]
    for name, model in sorted(env.registry.items()):
        if (
            model._original_module == ADDON
            and not model._transient
            and not model._abstract
            and model._auto
        ):
            names.append(name)
    return names


def plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha1(value).hexdigest()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list | tuple):
        return (
            sorted(plain(v) for v in value)
            if all(isinstance(v, int) for v in value)
            else [plain(v) for v in value]
        )
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def dump(records):
    """{id: {field: value}} of every stored field of records (binary: checksum)."""
    model = records.browse()
    names = [
        name
        for name, field in model._fields.items()
        if field.store and name not in SKIPPED_FIELDS and name != "id"
    ]
    out = {}
    for row in records.read(names, load=None):
        out[str(row.pop("id"))] = {name: plain(value) for name, value in row.items()}
    return out


def schema(env):
    """{model.field: [type, relation, stored, required, selection keys]} of the addon."""
    env.cr.execute(
        """
        SELECT f.model, f.name, f.ttype, COALESCE(f.relation, ''), f.store,
               COALESCE(f.required, false),
               ARRAY(SELECT s.value FROM ir_model_fields_selection s
                     WHERE s.field_id = f.id ORDER BY s.value)
          FROM ir_model_fields f
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
         WHERE d.module = %s
        """,
        [ADDON],
    )
    return {
        f"{model}.{name}": [ttype, relation, store, required, keys]
        for model, name, ttype, relation, store, required, keys in env.cr.fetchall()
    }


def main(env, out_path):
    env = env(su=True, context=dict(env.context, active_test=False, lang="en_US"))
    models = addon_models(env)
    records = {name: dump(env[name].search([], order="id")) for name in models}
    around = [("model", "in", models)]
    messages = env["mail.message"].search(around, order="id")
    records["mail.message"] = dump(messages)
    records["mail.tracking.value"] = dump(
        env["mail.tracking.value"].search([("mail_message_id", "in", messages.ids)], order="id")
    )
    records["ir.attachment"] = dump(
        env["ir.attachment"].search(
            [("res_model", "in", [*models, "mail.message"]), ("res_field", "=", False)],
            order="id",
        )
    )
    records["mail.activity"] = dump(
        env["mail.activity"].search([("res_model", "in", models)], order="id")
    )
    tickets = env["helpdesk.ticket"].search([])
    if "survey_user_input_ids" in tickets._fields:
        answers = tickets.survey_user_input_ids
        records["survey.user_input"] = dump(answers.sorted("id"))
        records["survey.user_input.line"] = dump(answers.user_input_line_ids.sorted("id"))
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    snapshot = {
        "version": module.latest_version,
        "schema": schema(env),
        "records": records,
    }
    with open(out_path, "w") as out:
        json.dump(snapshot, out, indent=0, sort_keys=True)
    total = sum(len(rows) for rows in records.values())
    print(
        f"upgrade-check: snapshot of {total} records of {len(records)} models "
        f"({len(records['helpdesk.ticket'])} complaints), version {module.latest_version}",
        flush=True,
    )
