"""The development tools (``tools/*.py``) as the tests load them: each once, under its
own name, ``tools/dev.py`` as ``dev`` (the name the other tools import it by)."""

import importlib.util
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def load_tool(name):
    """The module ``tools/<name>.py``, loaded on the first call."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
