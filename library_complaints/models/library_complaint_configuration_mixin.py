from odoo import api, models


class LibraryComplaintConfigurationMixin(models.AbstractModel):
    """Configuration that the office changes seldom and that public pages read on
    every request (severity tracks, services): what is derived from it is kept in
    the registry's caches (`ormcache`), so any change clears them."""

    _name = "library.complaint.configuration.mixin"
    _description = "Complaint configuration (cached)"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
