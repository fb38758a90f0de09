"""The mock-langflow command: serve, api-key, seed, export-openapi, check-openapi, versions, diff-versions."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mock_langflow import __version__, startup

if TYPE_CHECKING:
    from mock_langflow.settings import Settings

DESCRIPTION = """\
A fake Langflow server for contract tests: Langflow's HTTP API with scripted, deterministic LLM replies.
Every option can also be set with the environment variable named in its help."""


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def _settings(args: argparse.Namespace) -> Settings:
    """Environment first, then the flags that were given on the command line."""
    # Imported here, as everything heavy: main() has paused the collector by now (startup.py).
    from pydantic import ValidationError

    from mock_langflow.settings import Settings

    flags = {name: getattr(args, name) for name in ("host", "port", "data_dir", "api_key", "langflow_version",
                                                    "backend_only", "ephemeral", "control_api", "seed_paths",
                                                    "scripts")
             if getattr(args, name, None) is not None}
    try:
        return Settings(**flags)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CliError(f"bad setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only turns Nagle off (TCP_NODELAY) on sockets that say they are TCP,
    # and without it every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = " (is another server using it?)" if exc.errno == errno.EADDRINUSE else ""
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    startup.import_fastapi()
    from mock_langflow.app import create_app
    from mock_langflow.mcp.naming import KEY_NAME_PREFIX
    from mock_langflow.middleware import QuietDrops
    from mock_langflow.settings import http_url

    startup.skip_pydantic_v1()  # before any route is analysed

    settings = _settings(args)
    if settings.api_key is not None and not settings.api_key.startswith("sk-"):
        raise CliError(f"--api-key must look like a Langflow key (sk-...), got {settings.api_key[:12]!r}")
    sock = _bind(settings.host, settings.port)
    if settings.port == 0:
        # The URLs the server hands out (MCP project URLs, its MCP server list) name the port it really has.
        settings = settings.model_copy(update={"port": sock.getsockname()[1]})
    state = _build(settings, serving=True)
    new_key = None
    # A first start: the superuser holds no key but those its start gave its projects' MCP entries (every start
    # makes the Starter Project's, as Langflow's does).
    if settings.api_key is None and all((key.name or "").startswith(KEY_NAME_PREFIX)
                                        for key in state.store.users.list_keys(state.superuser_id)):
        new_key = state.store.users.create_key(user_id=state.superuser_id, name="mock-langflow").api_key
    app = create_app(settings, state=state)
    host, port = sock.getsockname()[:2]
    where = "memory (ephemeral)" if settings.ephemeral else str(settings.data_dir)
    print(f"mock-langflow {__version__}: Langflow {state.profile.version} at {http_url(host, port)} "
          f"(data: {where})", flush=True)
    if new_key:
        print(f"API key for user {state.superuser_name()!r} (shown once): {new_key}", flush=True)
    config = uvicorn.Config(app, log_level=args.log_level, access_log=args.log_level == "debug",
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    logging.getLogger("uvicorn.error").addFilter(QuietDrops())
    # Start-up's connection goes: with it the statements only start-up prepared (the schema, the seeding) and
    # the pages it cached, about 0.3 MiB of RSS until the first request reads the database and 0.6 MiB after
    # it (benchmarks/README.md); the first use opens a connection as any later one would.
    state.store.db.flush()
    state.store.db.release()
    startup.settle()
    server.run(sockets=[sock])
    return 0


def _build(settings: Settings, *, serving: bool) -> Any:
    """Open the state, turning a bad script or seed, or a data dir another server holds, into a one-line error."""
    startup.import_fastapi()
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from mock_langflow.app import StartRefused, build_state
    from mock_langflow.control.seed import SeedError
    from mock_langflow.engine.scripts import ScriptError
    from mock_langflow.store.dirlock import DataDirInUse

    if not settings.ephemeral:
        if settings.data_dir.exists() and not settings.data_dir.is_dir():
            raise CliError(f"cannot use data dir {settings.data_dir}: it is a file, not a directory")
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot use data dir {settings.data_dir}: {exc.strerror or exc}") from exc
    try:
        return build_state(settings, serving=serving)
    except (ScriptError, SeedError, DataDirInUse, StartRefused) as exc:
        raise CliError(str(exc)) from exc
    except (OSError, DBAPIError, sqlite3.Error) as exc:  # a data dir we may not write to, a database that is none
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise CliError(f"cannot use data dir {settings.data_dir}: {reason}") from exc


def cmd_api_key(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.ephemeral:
        raise CliError("api-key stores the key in the data dir's database; it makes no sense with --ephemeral")
    state = _build(settings, serving=False)
    print(state.store.users.create_key(user_id=state.superuser_id, name=args.name).api_key)
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from mock_langflow.control.seed import SeedError, seed_path

    settings = _settings(args)
    if settings.ephemeral:
        raise CliError("seed writes into the data dir's database; it makes no sense with --ephemeral")
    state = _build(settings, serving=False)
    totals = {"flows": 0, "projects": 0, "files": 0}
    for path in args.paths:
        try:
            for key, value in seed_path(state, Path(path), user_id=state.superuser_id).items():
                totals[key] += value
        except SeedError as exc:
            raise CliError(str(exc)) from exc
    print(f"seeded {totals['flows']} flows, {totals['projects']} projects, {totals['files']} files "
          f"into {settings.data_dir}")
    return 0


def openapi_document(settings: Settings) -> dict[str, Any]:
    startup.import_fastapi()
    from mock_langflow.app import create_app

    return create_app(settings.model_copy(update={"ephemeral": True})).openapi()


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def default_spec_path(version: str) -> Path:
    return Path("openapi") / f"mock-langflow-{version}.json"


def _spec_settings(args: argparse.Namespace) -> list[Settings]:
    """The profile asked for, or every profile: each one's document is checked in."""
    from mock_langflow.profiles import PROFILES

    settings = _settings(args)
    if args.langflow_version is not None or os.environ.get("MOCK_LANGFLOW_VERSION"):
        return [settings]
    return [settings.model_copy(update={"langflow_version": version}) for version in PROFILES]


def cmd_export_openapi(args: argparse.Namespace) -> int:
    every = _spec_settings(args)
    if args.output and len(every) > 1:
        raise CliError("--output writes one document: name the version with --langflow-version")
    for settings in every:
        text = _dump(openapi_document(settings))
        out = Path(args.output) if args.output else default_spec_path(settings.langflow_version)
        if str(out) == "-":
            sys.stdout.write(text)
            continue
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except FileExistsError as exc:  # mkdir met a file on the way
            raise CliError(f"cannot write {out}: {exc.filename} is not a directory") from exc
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror or exc}") from exc
        print(f"wrote {out}")
    return 0


def cmd_check_openapi(args: argparse.Namespace) -> int:
    every = _spec_settings(args)
    if args.spec:
        every = every[:1]
    failed = 0
    for settings in every:
        path = Path(args.spec) if args.spec else default_spec_path(settings.langflow_version)
        try:
            checked_in = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CliError(f"{path} does not exist; run `mock-langflow export-openapi` to write it") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
        if checked_in != _dump(openapi_document(settings)):
            print(f"{path} differs from the app's OpenAPI document; run `mock-langflow export-openapi` and commit it",
                  file=sys.stderr)
            failed = 1
        else:
            print(f"{path} matches the app")
    return failed


def cmd_versions(_args: argparse.Namespace) -> int:
    from mock_langflow.profiles import DEFAULT_VERSION, PROFILES

    for version, profile in PROFILES.items():
        default = " (default)" if version == DEFAULT_VERSION else ""
        aliases = f" [also: {', '.join(profile.aliases)}]" if profile.aliases else ""
        print(f"{version}{default}{aliases}: {profile.summary}")
    return 0


def cmd_diff_versions(args: argparse.Namespace) -> int:
    startup.import_fastapi()
    from mock_langflow.app import route_table
    from mock_langflow.profiles import get_profile
    from mock_langflow.profiles.diff import report

    try:
        old, new = get_profile(args.old), get_profile(args.new)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    sys.stdout.write(report(old, new, route_table(old), route_table(new)))
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", dest="data_dir", type=Path,
                   help="where the database and uploaded files live [MOCK_LANGFLOW_DATA_DIR; ~/.cache/mock-langflow]")
    p.add_argument("--langflow-version", dest="langflow_version",
                   help="the Langflow release to emulate [MOCK_LANGFLOW_VERSION; 1.13.0]")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="mock-langflow", description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"mock-langflow {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="start the server", description="Start a mock Langflow server.")
    serve.add_argument("--host", help="address to listen on [LANGFLOW_HOST; 127.0.0.1]")
    serve.add_argument("--port", type=int, help="port to listen on, 0 for any free one [LANGFLOW_PORT; 7860]")
    _common(serve)
    serve.add_argument("--api-key", dest="api_key",
                       help="an sk-... key to accept for the superuser, e.g. a fixed key for CI "
                            "[MOCK_LANGFLOW_API_KEY]; without it a key is made and printed on first start")
    serve.add_argument("--backend-only", dest="backend_only", action=argparse.BooleanOptionalAction, default=None,
                       help="as Langflow's --backend-only: no frontend page, plain 404s; --no-backend-only serves "
                            "the frontend [LANGFLOW_BACKEND_ONLY; on for 1.8, which was recorded that way]")
    serve.add_argument("--ephemeral", action="store_true", default=None,
                       help="keep everything in memory; nothing is written to disk [MOCK_LANGFLOW_EPHEMERAL]")
    serve.add_argument("--scripts", action="append", type=Path, metavar="PATH",
                       help="a script file or folder: model rules, job timings, custom components (repeatable) "
                            "[MOCK_LANGFLOW_SCRIPTS]")
    serve.add_argument("--seed", dest="seed_paths", action="append", type=Path, metavar="PATH",
                       help="a folder or Langflow export to load at start-up (repeatable) [MOCK_LANGFLOW_SEED]")
    serve.add_argument("--no-control-api", dest="control_api", action="store_false", default=None,
                       help="serve only Langflow's API, without /_mock [MOCK_LANGFLOW_CONTROL_API=false]")
    serve.add_argument("--log-level", dest="log_level", default="warning",
                       choices=["critical", "error", "warning", "info", "debug"], help="server log level [warning]")
    serve.set_defaults(func=cmd_serve)

    key = sub.add_parser("api-key", help="create an API key for the superuser and print it",
                         description="Create a new API key in the data dir's database and print it.")
    _common(key)
    key.add_argument("--name", default="mock-langflow-cli", help="the key's name [mock-langflow-cli]")
    key.set_defaults(func=cmd_api_key)

    seed = sub.add_parser("seed", help="load flows, projects and files into the data dir's database",
                          description="Load folders or Langflow export files (flows, {\"flows\": [...]}, project "
                                      "exports, zips) into the data dir, for the superuser. See README: Seeding.")
    _common(seed)
    seed.add_argument("paths", nargs="+", metavar="PATH", help="folders or export files")
    seed.set_defaults(func=cmd_seed)

    export = sub.add_parser("export-openapi", help="write the server's OpenAPI document",
                            description="Write the OpenAPI document the server serves at /openapi.json.")
    _common(export)
    export.add_argument("-o", "--output", help="file to write, - for stdout [openapi/mock-langflow-VERSION.json, "
                                               "for every version unless --langflow-version names one]")
    export.set_defaults(func=cmd_export_openapi)

    check = sub.add_parser("check-openapi", help="fail if the checked-in OpenAPI document is stale",
                           description="Compare a checked-in OpenAPI document with the one the app serves.")
    _common(check)
    check.add_argument("spec", nargs="?", help="the document to check [openapi/mock-langflow-VERSION.json of every "
                                               "version unless --langflow-version names one]")
    check.set_defaults(func=cmd_check_openapi)

    versions = sub.add_parser("versions", help="list the Langflow releases the mock emulates",
                              description="List the version profiles: pass one to --langflow-version.")
    versions.set_defaults(func=cmd_versions)

    diff = sub.add_parser("diff-versions", help="what a client sees change between two Langflow releases",
                          description="Print, from the version profiles, what changes for a client between two "
                                      "releases: routes, behaviour, status codes, error strings, body fields "
                                      "and stream events.")
    diff.add_argument("old", metavar="FROM", help="the release you run now, e.g. 1.7.1")
    diff.add_argument("new", metavar="TO", help="the release you upgrade to, e.g. 1.13.0")
    diff.set_defaults(func=cmd_diff_versions)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        # Each command starts up with the collector paused (startup.py); serve turns it on before it serves.
        with startup.collector_paused():
            return int(args.func(args))
    except CliError as exc:
        print(f"mock-langflow: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
