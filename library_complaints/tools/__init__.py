from . import numbers
from . import quarters
from . import workflow
