from . import concurrency
from . import quarters
from . import workflow
