"""helpdesk_mgmt's /my/tickets labels, said in this addon's words.

helpdesk_mgmt writes the sort, grouping, search and filter labels of its portal
list in Python (``request.env._``), and Odoo reads a module's code translations
from that module's own i18n/ only: another addon cannot ship them. So the labels
are given here, as this addon's terms, translated with this addon."""

from odoo import http
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class LibraryComplaintPortalLabels(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_tickets(self, *args, **kw):
        response = super().portal_my_tickets(*args, **kw)
        filters = getattr(response, "qcontext", {}).get("searchbar_filters") or {}
        if "all" in filters:
            filters["all"]["label"] = request.env._("All")
        return response

    def _ticket_get_searchbar_sortings(self):
        return self._relabel(super()._ticket_get_searchbar_sortings(), "sortings")

    def _ticket_get_searchbar_groupby(self):
        """No grouping by category: the library does not use helpdesk_mgmt's categories."""
        options = super()._ticket_get_searchbar_groupby()
        options.pop("category", None)
        return self._relabel(options, "groupby")

    def _ticket_get_searchbar_inputs(self):
        return self._relabel(super()._ticket_get_searchbar_inputs(), "inputs")

    @staticmethod
    def _searchbar_labels(kind):
        return {
            "sortings": {
                "date": request.env._("Newest"),
                "name": request.env._("Title"),
                "stage": request.env._("Stage"),
                "update": request.env._("Last Stage Update"),
            },
            "groupby": {
                "none": request.env._("None"),
                "stage": request.env._("Stage"),
            },
            "inputs": {
                "all": request.env._("Search in All"),
                "number": request.env._("Search in Number"),
                "name": request.env._("Search in Title"),
            },
        }[kind]

    def _relabel(self, options, kind):
        """The options with this addon's labels, keeping any option added elsewhere."""
        labels = self._searchbar_labels(kind)
        return {
            key: dict(option, label=labels[key]) if key in labels else option
            for key, option in options.items()
        }
