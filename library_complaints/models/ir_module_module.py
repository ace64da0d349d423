from odoo import api, models
from odoo.tools import SQL


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _load_module_terms(self, modules, langs, overwrite=False):
        """Thai header menus on every website (ร้องเรียน, ติดตามเรื่อง, ...).

        website copies each header menu for every website, and gives the copies the
        translations of the menu they copy when terms load; but a load that ran
        while a menu had no translation yet left its copies a null one, which
        blocks it ever after (a JSON null is a value). Drop those nulls first.
        """
        for lang in sorted(set(langs or ()) - {"en_US"}):
            self.env.cr.execute(
                SQL(
                    """UPDATE website_menu SET name = name - %(lang)s
                        WHERE website_id IS NOT NULL AND name ? %(lang)s
                          AND name ->> %(lang)s IS NULL""",
                    lang=lang,
                )
            )
        self.env["website.menu"].invalidate_model(["name"])
        return super()._load_module_terms(modules, langs, overwrite=overwrite)
