from . import library_complaint_fix_wizard
from . import library_complaint_comment_wizard
from . import library_complaint_holiday_wizard
from . import library_complaint_outcome_wizard
from . import library_complaint_quarter_wizard
from . import library_complaint_personal_data_wizard
