"""Workflow fields: what only a model's own actions change.

A read-only field (a state, a date stamped by a step, a code, a computed result, a
decision written back by a meeting) is written by the action that owns it, as the
superuser (``sudo()``) once the action has checked who acts. Any other write, from a
form, an import or the external API, is refused. No context key opens the guard: an
external client can send any context it likes.
"""

from odoo.exceptions import AccessError

# Odoo sets these itself and drops them from the values it is given.
MAGIC_FIELDS = frozenset({"id", "create_uid", "create_date", "write_uid", "write_date"})


def get_workflow_fields(records, fnames, extra=()):
    """The names among `fnames` that only the actions of `records`' model write:
    the fields defined read-only, and `extra`."""
    result = []
    for fname in fnames:
        field = records._fields.get(fname)
        if field and fname not in MAGIC_FIELDS and (field.readonly or fname in extra):
            result.append(fname)
    return result


def check_workflow_write(records, fnames, extra=()):
    """Refuse, unless as the superuser, a write or a create that sets workflow fields.

    :param records: the records written, or the model created on
    :param fnames: the names of the fields given
    :param extra: workflow fields that the model's views may show as editable
    :raise AccessError: naming the fields
    """
    if records.env.su:
        return
    protected = get_workflow_fields(records, fnames, extra)
    if protected:
        env = records.env
        raise AccessError(
            env._(
                "%(fields)s cannot be set directly: only the workflow's own buttons "
                "change them (%(model)s).",
                fields=", ".join(
                    f"“{records._fields[fname]._description_string(env)}”" for fname in protected
                ),
                model=records._description,
            )
        )
