"""The order of literals as SHACL's range and property-pair components use it (SPARQL's ``<`` operator, i.e.
XML Schema's order of values).

- Numbers of any numeric datatype compare by value; NaN compares with nothing (every comparison is false), and
  INF / -INF are above / below every other number.
- Date and time values (dateTime, dateTimeStamp, date, time, gYear, gYearMonth, gMonth, gDay, gMonthDay) compare
  on the time line within the same primitive type, time zones included (XML Schema 1.1, D.2.1 / 3.3.7.4): two
  values with time zones, or two without, compare as instants; a value with a time zone and one without are
  ordered only when they differ by more than 14 hours, otherwise the comparison is indeterminate.
- Strings (xsd:string) by code point; booleans false < true.
- Anything else (IRIs, blank nodes, language-tagged strings, ill-typed literals, values of different primitive
  types) cannot be compared: ``compare`` returns None, and the constraint that asked fails, as in SPARQL where the
  comparison raises an error.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from wpsgraph.namespaces import XSD

_INTEGERS = ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
             "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
             "unsignedByte")
NUMERIC = {XSD + t for t in _INTEGERS + ("decimal", "double", "float")}
_FLOATS = {XSD + "double", XSD + "float"}

# primitive type -> (regex, parts): every such value becomes a datetime on a reference time line
_TZ = r"(?P<tz>Z|[+-](?:0\d|1[0-4]):[0-5]\d)?"
_YEAR = r"(?P<year>-?\d{4,})"
_TEMPORAL = {
    "dateTime": re.compile(_YEAR + r"-(?P<month>\d\d)-(?P<day>\d\d)T(?P<hour>\d\d):(?P<minute>\d\d):"
                           r"(?P<second>\d\d(?:\.\d+)?)" + _TZ + "$"),
    "date": re.compile(_YEAR + r"-(?P<month>\d\d)-(?P<day>\d\d)" + _TZ + "$"),
    "time": re.compile(r"(?P<hour>\d\d):(?P<minute>\d\d):(?P<second>\d\d(?:\.\d+)?)" + _TZ + "$"),
    "gYear": re.compile(_YEAR + _TZ + "$"),
    "gYearMonth": re.compile(_YEAR + r"-(?P<month>\d\d)" + _TZ + "$"),
    "gMonth": re.compile(r"--(?P<month>\d\d)" + _TZ + "$"),
    "gMonthDay": re.compile(r"--(?P<month>\d\d)-(?P<day>\d\d)" + _TZ + "$"),
    "gDay": re.compile(r"---(?P<day>\d\d)" + _TZ + "$"),
}
_PRIMITIVE = {XSD + name: name for name in _TEMPORAL}
_PRIMITIVE[XSD + "dateTimeStamp"] = "dateTime"
_FOURTEEN_HOURS = timedelta(hours=14)


def _number(lit: ox.Literal):
    text = lit.value.strip()
    if lit.datatype.value in _FLOATS:
        if text in ("INF", "+INF"):
            return Decimal("Infinity")
        if text == "-INF":
            return Decimal("-Infinity")
        if text == "NaN":
            return "nan"
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
            return None
    elif not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text) or \
            (lit.datatype.value != XSD + "decimal" and "." in text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _instant(lit: ox.Literal):
    """(primitive type, datetime on the time line as UTC, has a time zone) or None when ill-formed."""
    kind = _PRIMITIVE.get(lit.datatype.value)
    if kind is None:
        return None
    m = _TEMPORAL[kind].match(lit.value.strip())
    if m is None:
        return None
    parts = m.groupdict()
    try:
        year = int(parts.get("year") or 1972)
        if not 1 <= year <= 9999:  # outside what datetime holds: treated as incomparable
            return None
        second = Decimal(parts.get("second") or 0)
        hour = int(parts.get("hour") or 0)
        when = datetime(year, int(parts.get("month") or 12), int(parts.get("day") or 31 if kind == "time" else
                                                                 parts.get("day") or 1))
        if hour == 24:  # 24:00:00 is the first instant of the next day
            if second or int(parts.get("minute") or 0):
                return None
            when += timedelta(days=1)
            hour = 0
        when += timedelta(hours=hour, minutes=int(parts.get("minute") or 0), seconds=float(second))
    except ValueError:
        return None
    tz = parts.get("tz")
    if tz:
        offset = timedelta(0) if tz == "Z" else (1 if tz[0] == "+" else -1) * timedelta(hours=int(tz[1:3]),
                                                                                         minutes=int(tz[4:6]))
        when -= offset
    return kind, when.replace(tzinfo=timezone.utc), bool(tz)


def _sign(x) -> int:
    return (x > 0) - (x < 0)


def compare(a, b) -> int | None:
    """-1, 0 or 1 as ``a`` is below, equal to or above ``b`` in XML Schema's order; None if not comparable."""
    if not isinstance(a, ox.Literal) or not isinstance(b, ox.Literal) or a.language or b.language:
        return None
    da, db = a.datatype.value, b.datatype.value
    if da in NUMERIC and db in NUMERIC:
        x, y = _number(a), _number(b)
        if x is None or y is None or x == "nan" or y == "nan":
            return None
        return _sign(x - y) if x != y else 0
    if da in _PRIMITIVE and db in _PRIMITIVE:
        x, y = _instant(a), _instant(b)
        if x is None or y is None or x[0] != y[0]:
            return None
        (_, ta, za), (_, tb, zb) = x, y
        if za == zb:
            return _sign((ta - tb).total_seconds())
        # one value has a time zone, the other not: ordered only beyond the widest offset (14 hours)
        if ta < tb - _FOURTEEN_HOURS if za else ta + _FOURTEEN_HOURS < tb:
            return -1
        if ta > tb + _FOURTEEN_HOURS if za else ta - _FOURTEEN_HOURS > tb:
            return 1
        return None
    if da == db == XSD + "string":
        return (a.value > b.value) - (a.value < b.value)
    if da == db == XSD + "boolean":
        x, y = _boolean(a.value), _boolean(b.value)
        if x is None or y is None:
            return None
        return x - y
    return None


def _boolean(text: str) -> int | None:
    return {"true": 1, "1": 1, "false": 0, "0": 0}.get(text.strip())
