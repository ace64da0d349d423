from . import portal
from . import portal_i18n
from . import complaint_form
from . import outcomes
from . import statistics
from . import survey
from . import similar_outcomes
from . import line_webhook
