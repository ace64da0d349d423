from .models.helpdesk_ticket import new_tracking_code


def post_init_hook(env):
    """Give the tickets that existed before the addon their own tracking code."""
    env.cr.execute("SELECT id FROM helpdesk_ticket WHERE tracking_code IS NULL")
    ids = [row[0] for row in env.cr.fetchall()]
    if ids:
        env.cr.execute_values(
            """UPDATE helpdesk_ticket t SET tracking_code = v.code
                 FROM (VALUES %s) AS v(id, code) WHERE t.id = v.id""",
            [(ticket_id, new_tracking_code()) for ticket_id in ids],
        )
        env["helpdesk.ticket"].invalidate_model(["tracking_code"])
