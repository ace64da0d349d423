from . import quarters
from . import workflow
