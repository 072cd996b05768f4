"""Residents' personal data never reaches a log line.

The portal logs no personal data on purpose, but a log line can still carry it by accident:
an exception message with a form's value, a third-party library's debug line, a URL. The
formatter every handler uses (settings.LOGGING) masks what identifies a resident: e-mail
addresses, mobile and landline numbers, resident registration numbers (주민등록번호).
"""

import logging
import re

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[이메일]"),
    (re.compile(r"(?<!\d)\d{6}\s*-\s*[1-8]\d{6}(?!\d)"), "[주민등록번호]"),
    (re.compile(r"(?<!\d)01[016789][\s.-]?\d{3,4}[\s.-]?\d{4}(?!\d)"), "[전화번호]"),
    (re.compile(r"(?<!\d)0(?:2|[3-6][1-5])[\s.)-]\s?\d{3,4}[\s.-]\d{4}(?!\d)"), "[전화번호]"),
)


def redact(text: str) -> str:
    for pattern, mask in PATTERNS:
        text = pattern.sub(mask, text)
    return text


class RedactingFormatter(logging.Formatter):
    """A Formatter whose whole output (message, arguments, traceback) is redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
