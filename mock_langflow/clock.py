"""Ids and time for everything the mock stamps, with Langflow's four timestamp formats in one place.

Both are objects handed out by create_app, so a test can seed the ids or freeze the clock.
"""

from __future__ import annotations

import os
import random
import secrets
import string
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, overload

from mock_langflow.profiles import current

# The longest wait a script, a fault or a setting may ask for (a day): longer is a unit mistake (ms for s) or a
# wish never to finish, which the never_finish fault is for.
LONGEST_WAIT_MS = 86_400_000

_ALNUM = string.ascii_letters + string.digits


def as_uuid(text: str) -> uuid.UUID | None:
    """A path segment as the UUID it spells, or None (an endpoint name, a malformed id)."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


# In a data dir: how many starts have taken ids from MOCK_LANGFLOW_RANDOM_SEED there (start_seed).
SEEDED_STARTS = "seeded-starts"


def start_seed(seed: int | None, data_dir: Path | None) -> int | str | None:
    """What seeds this start's ids, given MOCK_LANGFLOW_RANDOM_SEED. A fresh or ephemeral data dir: the seed
    itself, so such starts make the same ids every time. A data dir a seeded start has used holds that start's
    ids already: each later start there takes a sequence of its own ("<seed>/<n>", n counted in the data dir),
    where it made the same ids again and a flow created after a restart clashed with one from before (a 500).
    Called while the data dir's setup lock is held (store/dirlock.py), so no two starts take the same n."""
    if seed is None or data_dir is None:
        return seed
    counter = data_dir / SEEDED_STARTS
    try:
        done = int(counter.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        done = 0
    counter.write_text(str(done + 1), encoding="utf-8")
    return seed if done == 0 else f"{seed}/{done}"


class Ids:
    """UUIDv4 ids, lowercase and hyphenated (fact 46); seeded ids repeat run after run."""

    def __init__(self, seed: int | str | None = None) -> None:
        # bandit B311: seeded on purpose, so that a run's ids repeat; unseeded ids come from os.urandom/secrets.
        self._random = random.Random(seed) if seed is not None else None  # nosec B311
        self._unseeded: list[int] = []  # 128-bit numbers from os.urandom, taken one per id

    def uuid(self) -> uuid.UUID:
        if self._random is not None:
            return uuid.UUID(int=self._random.getrandbits(128), version=4)
        # uuid4() asks the kernel for 16 bytes per id, and a run makes about a dozen ids: the same bytes are
        # fetched 4 KiB at a time (list.pop is atomic, so threads never share a number).
        try:
            number = self._unseeded.pop()
        except IndexError:
            data = os.urandom(4096)
            self._unseeded.extend(int.from_bytes(data[i:i + 16], "big") for i in range(0, len(data), 16))
            number = self._unseeded.pop()
        return uuid.UUID(int=number, version=4)

    def hex32(self) -> str:
        return self.uuid().hex

    def node_suffix(self) -> str:
        """The five characters after the dash in a node id such as ChatInput-aB1cD."""
        pick = self._random.choice if self._random is not None else secrets.choice
        return "".join(pick(_ALNUM) for _ in range(5))

    def tool_call_id(self, prefix: str = "call_", length: int = 24) -> str:
        """The id a model provider gives its model's tool call: the provider's prefix and that many letters or
        digits (OpenAI's "call_" and 24)."""
        pick = self._random.choice if self._random is not None else secrets.choice
        return prefix + "".join(pick(_ALNUM) for _ in range(length))

    def token(self, nbytes: int = 32) -> str:
        if self._random is None:
            return secrets.token_urlsafe(nbytes)
        return "".join(self._random.choice(_ALNUM + "-_") for _ in range(nbytes * 4 // 3 + 1))


class Clock:
    """Aware UTC time; frozen when a test sets `frozen`."""

    def __init__(self, frozen: datetime | None = None) -> None:
        self.frozen = frozen

    def now(self) -> datetime:
        return self.frozen or datetime.now(UTC)


# --- the wire formats (fact 47) ---------------------------------------------------------------------


def ts_message(dt: datetime) -> str:
    """Messages: '2026-11-23 12:36:42.994991 UTC'. As strftime writes it, the fast way (isoformat is a few times
    quicker, and a run stamps several messages): strftime for a year before 1000, which it does not pad."""
    utc = dt.astimezone(UTC)
    if utc.year < 1000:
        return utc.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    return f"{utc.isoformat(' ', 'microseconds')[:26]} UTC"


def ts_message_seconds(dt: datetime) -> str:
    """Messages before 1.13: '2026-11-23 13:04:40 UTC'."""
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def ts_naive(dt: datetime) -> str:
    """Users, files and API keys before 1.13: '2026-11-23T13:04:06.743096' (naive UTC), as pydantic writes a
    datetime: no fraction when its microseconds are 0, a year of four digits."""
    return naive_utc(dt).isoformat()


def ts_seconds(dt: datetime) -> str:
    """Flow updated_at, API-key created_at: '2026-11-23T12:35:53+00:00'."""
    return dt.astimezone(UTC).replace(microsecond=0).isoformat()


def ts_z(dt: datetime) -> str:
    """Users, files v2, builds, transactions: '2026-11-23T12:34:30.419977Z', as pydantic writes a UTC datetime: no
    fraction when its microseconds are 0 (a time a client set, such as a user's last_login_at), a year of four
    digits (strftime wrote year 601 as '601', which is no date-time)."""
    return f"{dt.astimezone(UTC).replace(tzinfo=None).isoformat()}Z"


def ts_offset(dt: datetime) -> str:
    """v2 created_timestamp: '2026-11-23T12:45:08.110252+00:00'."""
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def ts_file_prefix(dt: datetime) -> str:
    """v1 file names: '2026-11-23_12-44-46'."""
    return dt.astimezone(UTC).strftime("%Y-%m-%d_%H-%M-%S")


TimeKind = Literal["users", "api_keys", "files", "transactions"]


@overload
def wire_time(dt: datetime, kind: TimeKind) -> str: ...
@overload
def wire_time(dt: datetime | None, kind: TimeKind) -> str | None: ...
def wire_time(dt: datetime | None, kind: TimeKind) -> str | None:
    """A user's, API key's, v2 file's or transaction's time as the emulated release writes it (profile times)."""
    if dt is None:
        return None
    style = getattr(current().times, kind)
    if style == "naive":
        return ts_naive(dt)
    return ts_z(as_utc(dt)) if style == "z" else ts_seconds(as_utc(dt))


def as_utc(dt: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def naive_utc(dt: datetime) -> datetime:
    """A time in UTC without its zone, as Langflow's SQLite columns hand it back (a naive one is UTC already)."""
    return as_utc(dt).astimezone(UTC).replace(tzinfo=None)
