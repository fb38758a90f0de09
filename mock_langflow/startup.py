"""Start-up without the cyclic garbage collector.

Importing FastAPI, SQLAlchemy and the mock's routers and schemas, then building the database, allocates a few
hundred thousand objects that all live as long as the process. While they pile up, the collector keeps walking
them (every full pass walks everything allocated so far): about 0.15 s of a 1.1 s start-up on a 2-core
machine, to find almost nothing (about 1,200 objects of start-up garbage). So start-up runs with the
collector paused; `serve` then freezes what start-up built (gc.freeze) before it turns the collector back on,
and an in-process server just turns it back on.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# How many objects were in the collector's permanent generation when the mock was first imported. Not always
# none: CPython 3.12 parks there the immortal objects its collector meets (375 of them once 3.12.1 has started),
# and moves them back there whenever a pass meets them again. Only objects frozen after this are a caller's own.
FROZEN_AT_IMPORT = gc.get_freeze_count()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; it is on again afterwards if it was on before
    (reference counting frees everything else as usual). What the block built is then aged (age_all)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        age_all()
        if was_enabled:
            gc.enable()


def age_all() -> None:
    """Move every tracked object to the oldest generation, without a pass over them.

    While the collector is paused, everything start-up builds stays in the youngest generation; the first
    passes after it is back on walked all of it twice (the young pass, then the middle one: 70-85 ms, between
    an in-process server's start and its first answer). Freezing and at once unfreezing puts them in the
    oldest generation, which only a full pass walks, as it would have in the end anyway. A caller that froze
    objects itself keeps them frozen: then nothing is moved. What was frozen before the mock was imported is
    counted as the interpreter's (FROZEN_AT_IMPORT): on CPython 3.12, which always has some, a `== 0` test here
    never aged anything, and an in-process server's first answer took 40-120 ms longer (benchmarks/README.md,
    fix 40). Those, immortal objects, go to the oldest generation with the rest, until a pass parks them again."""
    if gc.get_freeze_count() <= FROZEN_AT_IMPORT:
        gc.freeze()
        gc.unfreeze()


def settle() -> None:
    """For a process that now serves until it exits: what start-up built stays out of every later full pass
    (each of which otherwise walked it all, about 45 ms every few thousand requests), and the collector is
    on for what serving allocates."""
    gc.freeze()
    gc.enable()


def import_fastapi() -> None:
    """Import FastAPI, unless it is imported already, with pydantic's model builds deferred.

    FastAPI's import defines about 40 pydantic models for the OpenAPI document (fastapi.openapi.models) and
    builds each one's validator and serializer at once: about 50 ms of every start-up (benchmarks/README.md,
    fix 39), for models used only when /openapi.json or /docs is first asked for. While FastAPI is imported,
    pydantic's BaseModel carries `defer_build`, which every model defined meanwhile takes into its own config:
    each is then built on its first use (by the first OpenAPI document), and validates and serialises as
    before. BaseModel's own config is as it was afterwards, so models defined later are not touched. A process
    that imported FastAPI before (a test run hosting the in-process server) keeps its FastAPI as it is."""
    if "fastapi" in sys.modules:
        return
    import pydantic

    # Importing pydantic leaves about 340 objects of cyclic garbage (the first class of each dataclass that
    # `slots=True` replaces, with what it holds, and the like). With the collector paused through start-up and
    # `serve` freezing what start-up built (settle), nothing would ever free them: 0.3 MiB of every server's
    # RSS. One pass now walks the 17,000 objects imported so far (about 3 ms of CPU); after FastAPI's import
    # it would walk 45,000 (about 12 ms) for 0.15 MiB more.
    gc.collect()

    config = pydantic.BaseModel.model_config
    pydantic.BaseModel.model_config = {**config, "defer_build": True}
    try:
        import fastapi  # noqa: F401
    finally:
        pydantic.BaseModel.model_config = config


def skip_pydantic_v1() -> None:
    """For a process that is only the mock's server (`serve`): FastAPI stops importing pydantic.v1 to ask
    whether a route's parameter, or a value it encodes, is a pydantic.v1 model.

    FastAPI 0.165 answers that question by importing pydantic.v1 (`from pydantic import v1` inside
    is_pydantic_v1_model_class/_instance, under a warnings filter, at every call): the first route analysed
    paid 10-17 ms and 1.6 MiB for a package the mock never uses. Nothing is a pydantic.v1 model unless
    pydantic.v1 has been imported, so each check now answers False until it is, and is FastAPI's own after
    that: the same answers. Only for a process of our own: the in-process server (the pytest fixture) leaves
    its host's FastAPI alone. A FastAPI without these functions is left as it is."""
    try:
        from fastapi import _compat, encoders
        from fastapi._compat import shared
    except ImportError:  # pragma: no cover
        return
    for name in ("is_pydantic_v1_model_class", "is_pydantic_v1_model_instance"):
        original = getattr(shared, name, None)
        if not callable(original) or getattr(original, "__wrapped__", None) is not None:
            continue
        guarded = _once_v1_is_imported(original)
        for module in (shared, _compat, encoders):
            if getattr(module, name, None) is original:
                setattr(module, name, guarded)


def _once_v1_is_imported(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def guarded(value: Any) -> bool:
        return "pydantic.v1" in sys.modules and check(value)

    guarded.__wrapped__ = check  # type: ignore[attr-defined]
    return guarded
