"""Numbers people type or requests carry: ASCII digits only.

Python's digit test (``str`` ``isdigit``) is true of ``²``, ``①`` and ``١٢``
(Arabic-Indic digits), and
``int()`` reads some of them and fails on others: a number checked that way
was a 500 on a public page. Every number read from a request or a message goes
through :func:`parse_ascii_int`; what it refuses is a 400 on an HTTP route
(:func:`ascii_int_or_400`) and the question asked again in a conversation.
"""

import re

from werkzeug.exceptions import BadRequest

# Digits 0-9 only; at most 18 of them (a larger number is no one's input, and
# int() on thousands of digits is slow before it fails).
ASCII_DIGITS = "0-9"
ASCII_INT_RE = re.compile(rf"[{ASCII_DIGITS}]{{1,18}}")
MAX_RECORD_ID = 2**31 - 1  # a PostgreSQL integer


def parse_ascii_int(text, minimum=0, maximum=MAX_RECORD_ID):
    """The number written in ``text`` with ASCII digits, or None.

    Spaces around it are ignored; a sign, a decimal point, any other digit
    (superscripts, circled, Thai or Arabic-Indic digits) or a number outside
    ``minimum`` .. ``maximum`` gives None.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str):
        return None
    text = text.strip(" \t\r\n")
    if not ASCII_INT_RE.fullmatch(text):
        return None
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value


def parse_record_id(text):
    """A record id (1 .. the largest PostgreSQL integer), or None."""
    return parse_ascii_int(text, minimum=1)


def ascii_int_or_400(text, message, minimum=0, maximum=MAX_RECORD_ID):
    """:func:`parse_ascii_int`, for an HTTP route: a refusal is a 400 saying ``message``."""
    value = parse_ascii_int(text, minimum=minimum, maximum=maximum)
    if value is None:
        raise BadRequest(message)
    return value
