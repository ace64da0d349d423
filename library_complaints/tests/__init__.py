from . import test_severity_track
from . import test_complaint_intake
from . import test_complaint_security
from . import test_i18n
from . import test_portal
from . import test_anonymous_form
from . import test_official_calendar
from . import test_escalation
