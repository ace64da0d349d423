from . import library_complaint_fix_wizard
