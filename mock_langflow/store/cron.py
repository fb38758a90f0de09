"""A schedule trigger's config, checked as Langflow's validate_schedule_config checks it (five-field cron, an IANA
timezone, catchup_policy, share_session), with the mock's own small cron reader: numbers, names, `*`, ranges,
steps and lists (croniter's rarer forms, L, W, # and ?, are refused); and the fire times the mock's scheduler
(engine/triggers.py) walks. Imported by the first schedule's check."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mock_langflow.clock import as_utc

# Langflow's texts
INVALID_CRON = "Invalid cron expression: a valid five-field cron expression is required."
NEVER_MATCHES = "Invalid cron expression: it never matches a real date."
TIMEZONE_REQUIRED = "A non-empty IANA timezone is required."
UNKNOWN_TIMEZONE = "Unknown timezone; use an IANA timezone name."
BAD_CATCHUP = "catchup_policy must be 'coalesce' or 'skip'."
BAD_SHARE_SESSION = "share_session must be a boolean."

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_DAYS = {name: n for n, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
# minute, hour, day of month, month, day of week (7 is Sunday too)
_FIELDS = ((0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, _MONTHS), (0, 7, _DAYS))


def _number(text: str, low: int, high: int, names: dict[str, int]) -> int:
    value = names.get(text.lower()) if text.isalpha() else int(text) if text.isascii() and text.isdigit() else None
    if value is None or not low <= value <= high:
        raise ValueError(INVALID_CRON)
    return value


def field_values(text: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    """The values one cron field allows."""
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, 1, 10**6, {}) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            start, _, end = base.partition("-")
            first, last = _number(start, low, high, names), _number(end, low, high, names)
            if first > last:
                raise ValueError(INVALID_CRON)
        else:
            first = _number(base, low, high, names)
            last = high if step_text else first
        values.update(range(first, last + 1, step))
    return values


def parse_cron(expression: Any) -> list[set[int]]:
    if not isinstance(expression, str) or len(expression.split()) != len(_FIELDS):
        raise ValueError(INVALID_CRON)
    return [field_values(text, low, high, names)
            for text, (low, high, names) in zip(expression.split(), _FIELDS, strict=True)]


def _ever_matches(fields: list[set[int]], expression: str) -> bool:
    """Whether the schedule names a real date: a day of the month some chosen month has (February's 29th counts),
    unless the day of the week is restricted too, which cron ORs with the day of the month."""
    day_text, weekday_text = expression.split()[2], expression.split()[4]
    if day_text == "*" or weekday_text != "*":
        return True
    longest = {month: calendar.monthrange(2024, month)[1] for month in fields[3]}
    return any(day <= longest[month] for month in fields[3] for day in fields[2])


def checked_schedule(config: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The config normalised (the cron's spaces single, the timezone and catchup policy filled in); a ValueError
    with Langflow's text for what does not hold, in Langflow's order."""
    del now  # Langflow probes one fire time from now; a cron that names a real date always has one
    expression = config.get("cron")
    fields = parse_cron(expression)
    zone = config.get("timezone", "UTC")
    if not isinstance(zone, str) or not zone.strip():
        raise ValueError(TIMEZONE_REQUIRED)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # (a name too long for a path: OSError)
        raise ValueError(UNKNOWN_TIMEZONE) from exc
    if not _ever_matches(fields, str(expression)):
        raise ValueError(NEVER_MATCHES)
    catchup = config.get("catchup_policy", "coalesce")
    if not isinstance(catchup, str) or catchup not in {"coalesce", "skip"}:
        raise ValueError(BAD_CATCHUP)
    if not isinstance(config.get("share_session", False), bool):
        raise ValueError(BAD_SHARE_SESSION)
    return {**config, "cron": " ".join(str(expression).split()), "timezone": zone, "catchup_policy": catchup}


def _day_matches(fields: list[set[int]], texts: list[str], day: date) -> bool:
    """Cron's day rule: the month, then the day of the month and of the week, ORed when both are restricted."""
    if day.month not in fields[3]:
        return False
    weekday = day.isoweekday() % 7  # cron's: Sunday 0 (or 7)
    by_date, by_weekday = day.day in fields[2], weekday in fields[4] or (weekday == 0 and 7 in fields[4])
    if texts[2] != "*" and texts[4] != "*":
        return by_date or by_weekday
    return by_date and by_weekday


def fire_time(expression: str, zone_name: str, moment: datetime, *, after: bool) -> datetime | None:
    """The first fire time strictly after `moment` (after=True), or the last at or before it, in UTC: the cron is
    walked in the zone's wall-clock time, as Langflow's scheduler walks it, across at most eight years."""
    fields, texts, zone = parse_cron(expression), expression.split(), ZoneInfo(zone_name)
    local = as_utc(moment).astimezone(zone).replace(tzinfo=None)
    times = sorted((hour, minute) for hour in fields[1] for minute in fields[0])
    step = timedelta(days=1 if after else -1)
    day = local.date()
    for _ in range(366 * 8):
        if _day_matches(fields, texts, day):
            for hour, minute in times if after else reversed(times):
                candidate = datetime.combine(day, time(hour, minute))
                if (candidate > local) if after else (candidate <= local):
                    return candidate.replace(tzinfo=zone).astimezone(UTC)
        day += step
    return None
