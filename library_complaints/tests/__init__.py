from . import test_severity_track
