"""Years as the wizards take them: of the Common Era (a Buddhist-era year refused)."""

from odoo.exceptions import ValidationError

# A year above the range is most likely a Buddhist Era year (B.E. 2570 is 2027).
MIN_YEAR = 1900
MAX_YEAR = 2399


def is_common_era_year(year):
    return MIN_YEAR <= year <= MAX_YEAR


def check_common_era_year(env, year):
    if not is_common_era_year(year):
        raise ValidationError(
            env._(
                "Enter a year of the Common Era between %(min)s and %(max)s "
                "(e.g. 2027, not B.E. 2570).",
                min=MIN_YEAR,
                max=MAX_YEAR,
            )
        )
