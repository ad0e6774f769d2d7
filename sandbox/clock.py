"""Beijing time (UTC+8, no DST since 1991) and the wire formats for it."""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def beijing(ts: float) -> dt.datetime:
    """A POSIX timestamp as an aware Beijing datetime."""
    return dt.datetime.fromtimestamp(ts, BEIJING)


def wire_datetime(ts: float) -> str:
    """`yyyyMMddHHmmss` in Beijing time."""
    return beijing(ts).strftime("%Y%m%d%H%M%S")


def wire_date(ts: float) -> str:
    """`YYYYMMDD` in Beijing time."""
    return beijing(ts).strftime("%Y%m%d")


def parse_wire_datetime(text: str) -> float | None:
    """`yyyyMMddHHmmss` (Beijing time) as a POSIX timestamp, or None if malformed."""
    if len(text) != 14 or not text.isdigit():
        return None
    try:
        moment = dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=BEIJING)
    except ValueError:
        return None
    return moment.timestamp()
