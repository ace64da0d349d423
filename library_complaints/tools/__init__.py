from . import quarters
