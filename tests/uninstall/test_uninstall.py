"""The addon uninstalls cleanly and leaves helpdesk_mgmt's tickets intact.

Runs in its own pytest session on a scratch copy of the test database
(``./dev test`` makes it), because an uninstall commits and reloads the registry.
"""

import odoo
from odoo.modules.registry import Registry
from odoo.tests.common import get_db_name

ADDON = "library_complaints"


def _state(env):
    env.cr.execute("SELECT to_regclass('library_complaint_track') IS NOT NULL")
    track_table = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket' AND column_name = 'track_id'"
    )
    track_column = env.cr.fetchone()[0] == 1
    # Tickets the addon did not create from its own demo files (those go with it).
    env.cr.execute(
        """SELECT id, number, name FROM helpdesk_ticket t
            WHERE NOT EXISTS (SELECT 1 FROM ir_model_data d
                               WHERE d.model = 'helpdesk.ticket' AND d.res_id = t.id
                                 AND d.module = %s)
         ORDER BY id""",
        [ADDON],
    )
    tickets = env.cr.fetchall()
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    return module.state, track_table, track_column, tickets


def test_uninstall_keeps_helpdesk_tickets(monkeypatch):
    # pytest-odoo turns test mode on; a registry reload must not look for tests.
    monkeypatch.setitem(odoo.tools.config, "test_enable", False)
    db = get_db_name()
    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        state, track_table, track_column, tickets_before = _state(env)
        assert state == "installed"
        assert track_table and track_column
        # A complaint recorded by staff, on a severity track of the addon.
        env["helpdesk.ticket"].create(
            {
                "name": "Returned books are not checked in",
                "description": "<p>Recorded before the uninstall.</p>",
                "track_id": env.ref(f"{ADDON}.track_2_escalate_heads").id,
            }
        )
        cr.commit()
        tickets_before = _state(env)[3]
        assert len(tickets_before) > 1, "helpdesk_mgmt demo tickets and ours"
        env["ir.module.module"].search([("name", "=", ADDON)]).button_immediate_uninstall()

    with Registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        state, track_table, track_column, tickets_after = _state(env)
        assert state == "uninstalled"
        assert not track_table, "the addon's own tables are dropped"
        assert not track_column, "the addon's columns on helpdesk_ticket are dropped"
        assert tickets_after == tickets_before, "helpdesk tickets survive the uninstall"
        # archived ones included: the demo archives helpdesk_mgmt's own demo tickets
        tickets = env["helpdesk.ticket"].with_context(active_test=False)
        assert tickets.search_count([]) == len(tickets_before)
