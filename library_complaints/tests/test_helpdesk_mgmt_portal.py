"""helpdesk_mgmt's own portal tests that the demo's language keeps from running as
they are (tools/dev.py, HELPDESK_MGMT_DESELECTED), run here with the premise they
assume: portal users who speak the website's default language.

helpdesk_mgmt's fixture makes its portal users contacts of the company; a contact
takes the language of its parent (res.partner._compute_lang), and the demo office
speaks Thai, so they get Thai, on a website whose default language is English:
every /my/... page then answers with Odoo's language redirect to /th/my/...
(a 303) before it answers itself. The tests' assertions are helpdesk_mgmt's, unchanged.
"""

from odoo.tests.common import tagged

# the module, not its classes: a test class imported by name would run here again
from odoo.addons.helpdesk_mgmt.tests import test_helpdesk_portal as helpdesk_portal


@tagged("post_install", "-at_install")
class TestHelpdeskMgmtPortalInDefaultLanguage(helpdesk_portal.TestHelpdeskPortalBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        lang = cls.env["website"].get_current_website().default_lang_id.code
        (cls.partner_portal | cls.basic_user.partner_id).lang = lang

    test_tickets_2_users = helpdesk_portal.TestHelpdeskPortal.test_tickets_2_users
    test_ticket_list_authorized = helpdesk_portal.TestHelpdeskPortal.test_ticket_list_authorized
