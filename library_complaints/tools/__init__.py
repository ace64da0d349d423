from . import concurrency
from . import numbers
from . import quarters
from . import workflow
