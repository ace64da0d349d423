from . import portal
from . import complaint_form
from . import outcomes
from . import survey
