"""1.13's policy for the stdio part (command, args, env) of an /api/v2/mcp/servers config, as its request model
checks it (lfx.base.mcp.security and source_policy), with what a deployment sets (Allowlists): the package and
environment allowlists, LANGFLOW_MCP_SERVER_ALLOWED_PACKAGES and LANGFLOW_MCP_SERVER_ENV_ALLOWLIST, and
LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING and _DOCKER_HARDENING. A config it refuses is a 422 whose
one item is a `value_error` on the body; `refusal` returns that item's message, or None when the config passes.

Checks run in 1.13's order, so a config breaking several rules is refused for the same one:
1. the command is one executable name or path (no options in it), whose base name is an allowed launcher; with
   interpreter hardening, python and node run only Langflow's agentic MCP module and a shell only wraps;
2. the launcher's own rules: node takes no runtime option first (hardened: a shell's wrapped command line must
   parse); uvx and npx install only plain index packages and take no source-changing option; docker only `run`s,
   without host access (hardened: nor ports, devices, host files, other runtimes, restarts or other networks);
   with an allowlist, uvx and npx install and run only its packages (and, where a package is named apart from what
   runs, only the entrypoints Langflow knows it to have);
3. shell wrappers (sh, bash, cmd) wrap only another, non-shell launcher, and only they take -c or /c;
4. no argument holds a shell metacharacter or a keyword that installs or evaluates code;
5. no environment variable of a family the runtimes read as code or configuration (with an environment allowlist,
   none but those it names);
6. docker's flag rules (hardened: step 2's again, with their own words); then what a wrapper wraps is checked from
   step 1 on, at most 4 levels deep.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from pydantic import ValidationError, ValidationInfo, model_validator

from mock_langflow.errors import pydantic_text
from mock_langflow.schemas import mcp as schemas_mcp

LAUNCHERS = frozenset({"node", "python", "python3", "npx", "uvx", "docker", "cmd", "sh", "bash"})
SHELLS = frozenset({"cmd", "sh", "bash"})
WRAPPABLE = LAUNCHERS - SHELLS
METACHARACTERS = frozenset(";|&$`<>()\n\r")
KEYWORDS = frozenset({"-c", "-e", "-y", "--yes", "pip", "install", "npm", "yarn", "pnpm", "eval", "exec"})
KEYWORDS_ALLOWED = {"npx": frozenset({"-y", "--yes"}), "uvx": frozenset({"-y", "--yes"})}
EXEC_FLAGS = frozenset({"-c", "/c"})

# Environment variables: names refused outright, families refused by prefix, and the harmless members of those.
ENV_NAMES = frozenset("""
    ld_preload ld_library_path ld_audit dyld_insert_libraries dyld_library_path gconv_path path bash_env env bash_func_
    shellopts bashopts ps4 ifs cdpath node_options node_extra_ca_certs pythonstartup pythonpath home xdg_config_home
    xdg_data_home tmpdir tmp temp hostaliases localdomain res_options getconf_dir nlspath locpath localedir termcap
    terminfo terminfo_dirs lessopen lessclose lessecho less pager manpager systemd_less editor visual browser
    requests_ca_bundle ssl_cert_file ssl_cert_dir http_proxy https_proxy all_proxy ftp_proxy rsync_proxy goflags
    gopath goroot gobin goproxy goprivate classpath comspec psmodulepath langflow_agentic_user_id
""".split())
ENV_FAMILIES = tuple("""
    ld_ dyld_ gconv_ openssl_ bash_ zsh_ npm_config_ pip_ uv_ yarn_ pnpm_ bun_ poetry_ cargo_ rustup_ deno_ gem_
    python node_ perl ruby lua_ julia_ php_ java_ jdk_ _java_ dotnet_ coreclr_ mono_ git_ ssl_cert_ curl_ gtk_ qt_
    gio_ gst_ xdg_
""".split())
ENV_HARMLESS = frozenset("""
    pythonunbuffered pythonioencoding pythondontwritebytecode pythonhashseed pythonutf8 pythonfaulthandler node_env
    git_author_name git_author_email git_author_date git_committer_name git_committer_email git_committer_date
    git_terminal_prompt qt_qpa_platform
""".split())

# uvx: options that change where packages come from; those naming a package; booleans; options taking a value.
UVX_SOURCE_OPTIONS = frozenset({
    "--index", "--default-index", "--index-url", "--extra-index-url", "--find-links", "--no-index", "--config-file",
    "--env-file", "--with-editable", "--with-requirements", "--constraints", "--build-constraints", "--overrides",
    "--directory", "--project"})
UVX_SOURCE_SHORT = ("-i", "-f", "-c", "-b")
UVX_PACKAGE_OPTIONS = frozenset({"--from", "--with", "-w"})
UVX_ATTACHED_SHORT = ("-C", "-P", "-p")
UVX_SHORT_BOOLEANS = frozenset("UVhnqv")
UVX_BOOLEANS = frozenset({
    "-U", "-V", "-h", "-n", "-q", "-v", "-y", "--compile-bytecode", "--help", "--isolated", "--lfs",
    "--managed-python", "--native-tls", "--no-binary", "--no-build", "--no-build-isolation", "--no-cache",
    "--no-config", "--no-env-file", "--no-managed-python", "--no-progress", "--no-python-downloads", "--no-sources",
    "--offline", "--quiet", "--refresh", "--reinstall", "--upgrade", "--verbose", "--version", "--yes"})
UVX_VALUED = frozenset({
    "--python-platform", "--torch-backend", "--index-strategy", "--keyring-provider", "--resolution", "--prerelease",
    "--fork-strategy", "--exclude-newer", "--exclude-newer-package", "--no-sources-package", "--upgrade-package",
    "-P", "--reinstall-package", "--link-mode", "--config-setting", "-C", "--config-settings-package",
    "--no-build-isolation-package", "--no-build-package", "--no-binary-package", "--cache-dir",
    "--refresh-package", "--python", "-p", "--color", "--allow-insecure-host"})
NPX_SOURCE_OPTIONS = frozenset({
    "--registry", "--userconfig", "--globalconfig", "--call", "-c", "--shell", "--script-shell",
    "--dangerously-allow-all-scripts"})
NPX_PACKAGE_OPTIONS = frozenset({"--package", "-p"})
NPX_BOOLEANS = frozenset({"-y", "--yes", "--workspaces", "--include-workspace-root", "--strict-allow-scripts"})
NPX_VALUED = frozenset({"--workspace", "-w", "--allow-scripts"})
# What a package named apart from the command it runs (npx --package, uvx --from) may run, as Langflow knows them;
# another package so named runs only its own name (uvx) or not at all (npx, which must then be given the package
# directly).
NPX_ENTRYPOINTS = {"mcp-proxy": frozenset({"mcp-proxy"})}
UVX_ENTRYPOINTS = {"lfx": frozenset({"lfx-mcp"})}
VERSION_MARKS = ("==", "~=", ">=", "<=", "!=", ">", "<", "[")
# The modules python may run under interpreter hardening: Langflow's own agentic MCP server
AGENTIC_MODULES = frozenset({"langflow.agentic.mcp", "langflow.agentic.mcp.server"})
ARCHIVES = (".whl", ".zip", ".tar.gz", ".tar.bz2", ".tgz")
_PY_VERSION = r"(?:===|==|~=|!=|<=|>=|<|>)[A-Za-z0-9*_.+!-]+"
PYTHON_REQUIREMENT = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9._,-]+\])?(?:{_PY_VERSION}(?:,{_PY_VERSION})*)?")
NPM_PACKAGE = re.compile(
    r"(?:@[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*(?:@[A-Za-z0-9][A-Za-z0-9._+~^<>=*-]*)?")

DOCKER_HOST_ACCESS = frozenset({
    "--privileged", "--cap-add", "-v", "--volume", "--volumes-from", "--mount", "--device", "--device-cgroup-rule"})
DOCKER_SHORT_CLUSTER = frozenset("diPqt")
DOCKER_NAMESPACES = frozenset({"--pid", "--ipc", "--uts", "--net", "--network"})
DOCKER_OLD_FLAGS = frozenset({"--privileged", "--cap-add"})
DOCKER_OLD_PREFIXES = ("--net=", "--network=", "--pid=", "--cap-add=", "--privileged=")
# LANGFLOW_MCP_SERVER_DOCKER_HARDENING: no host files, devices, ports, runtimes or restarts; namespaces not the
# host's nor another container's; only the default networks
DOCKER_HARDENED = DOCKER_HOST_ACCESS | {
    "--env-file", "--label-file", "--cidfile", "--gpus", "--use-api-socket", "--link", "--runtime", "-p", "-P",
    "--publish", "--publish-all", "--restart"}
DOCKER_HARDENED_NAMESPACES = frozenset({"--pid", "--ipc", "--uts", "--cgroupns", "--userns"})
DOCKER_NETWORKS = frozenset({"--net", "--network"})
DOCKER_SAFE_NETWORKS = frozenset({"none", "bridge", "default"})

SHELL_CONTROL = frozenset(";|&$`<>\n\r")
SHELL_EXPANSION = frozenset("{}*?[]")
CMD_TRANSFORMING = frozenset('%!^"')
CMD_QUIET_SWITCHES = frozenset("adefqstuv")  # cmd.exe switches that run nothing; any other letter runs the rest
MAX_WRAPPING = 4  # a wrapper may wrap a wrapper ("sh -x -c 'sh ...'"), this many levels deep


class Refused(ValueError):
    """A config the policy refuses; its text is the 422's message after "Value error, "."""


def package_name(spec: str) -> str:
    """A package requirement's name as the allowlist compares it: lower case, without its version or extras
    (`@scope/pkg@1.2` is `@scope/pkg`, `mcp-server-fetch==1.0` and `pkg[cli]` their names)."""
    name = spec.strip().lower()
    if name.startswith("@"):
        scope_end, version_at = name.find("/"), name.rfind("@")
        if 0 <= scope_end < version_at:
            name = name[:version_at]
    else:
        name = name.partition("@")[0]
    for mark in VERSION_MARKS:
        name = name.partition(mark)[0]
    return name.strip()


@dataclass(frozen=True)
class Allowlists:
    """What a deployment allows beyond 1.13's default policy, as 1.13 reads its settings (comma-separated names,
    blanks dropped; set but empty, nothing is allowed): LANGFLOW_MCP_SERVER_ALLOWED_PACKAGES, the only packages uvx
    and npx may run (the requirement Langflow adds to every uvx server itself, LANGFLOW_MCP_SDK_CONSTRAINT, needs no
    place on it), and LANGFLOW_MCP_SERVER_ENV_ALLOWLIST, the only environment variables a config may set (which
    then replaces the default policy's families)."""

    packages: frozenset[str] | None = None
    sdk_pin: str | None = None
    env: frozenset[str] | None = None
    # LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING: python and node only as Langflow's own agentic MCP module, a shell
    # only to wrap another launcher (_check_interpreter)
    interpreters: bool = False
    # LANGFLOW_MCP_SERVER_DOCKER_HARDENING: docker's strict rules (_check_docker, _check_docker_flags)
    docker: bool = False

    @classmethod
    def of(cls, packages: str | None, sdk_constraint: str | None, env: str | None,
           interpreters: bool = False, docker: bool = False) -> Allowlists | None:
        if packages is None and env is None and not interpreters and not docker:
            return None
        return cls(None if packages is None else frozenset(package_name(p) for p in packages.split(",") if p.strip()),
                   sdk_constraint.strip() if sdk_constraint and sdk_constraint.strip() else None,
                   None if env is None else frozenset(name.strip().lower() for name in env.split(",") if name.strip()),
                   interpreters, docker)

    def refuse_package(self, package: str, launcher: str) -> None:
        allowed = self.packages or frozenset()
        if not (name := package_name(package)) or name not in allowed:
            shown = ", ".join(sorted(allowed)) or "<none>"
            raise Refused(f"Package '{package}' is not allowed for MCP {launcher}. Server-approved packages: {shown}")


def refusal(command: str | None, args: list[str] | None, env: dict[str, str] | None,
            lists: Allowlists | None = None) -> str | None:
    try:
        _check(command, list(args or []), env or {}, lists=lists)
    except Refused as exc:
        return str(exc)
    return None


# --- names --------------------------------------------------------------------------------------------


def _is_path(command: str) -> bool:
    return (command.startswith(("/", "./", "../")) or "\\" in command
            or (len(command) >= 3 and command[1:3] in (":\\", ":/")))


def _base(command: str) -> str:
    """The launcher a command names, as the allowlist sees it: its first word unless it is a path, without
    directories or a ".exe" (case kept)."""
    word = command if _is_path(command) or not command.strip() else command.split()[0]
    name = PurePosixPath(word.replace("\\", "/")).name
    return name[:-4] if name.lower().endswith(".exe") else name


def _launcher(command: str) -> str:
    """As _base, lower-cased: the name the launcher-specific rules go by."""
    name = PurePosixPath(command.replace("\\", "/")).name.lower()
    return name.removesuffix(".exe")


def _split(command: str, args: list[str]) -> tuple[str, list[str]]:
    """A command that packs its own arguments, as executable and argv."""
    if not command or _is_path(command):
        return command, list(args)
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise Refused("MCP stdio command is not allowed because it cannot be parsed safely") from exc
    return (words[0], words[1:] + list(args)) if words else (command, list(args))


def _not_allowed(launcher: str, value: str) -> Refused:
    return Refused(f"Argument '{value}' is not allowed for MCP stdio command '{launcher}'")


def _unsupported_char(shell: str, char: str) -> Refused:
    return Refused(f"Shell wrapper '{shell}' contains unsupported character {char!r} and is not allowed for MCP "
                   "stdio; set the executable directly as 'command' (for example, 'uvx') and pass its arguments "
                   "separately in 'args'")


def _option_value(args: list[str], i: int, launcher: str) -> tuple[str, int]:
    """An option's value (attached after "=", or the next word) and the index after it."""
    option, eq, attached = args[i].partition("=")
    if eq:
        if not attached:
            raise _not_allowed(launcher, args[i])
        return attached, i + 1
    if i + 1 >= len(args):
        raise _not_allowed(launcher, args[i])
    return args[i + 1], i + 2


# --- step 1-2: the command and its launcher's own rules --------------------------------------------------


def _check_command(command: str) -> None:
    name = command.replace("\\", "/").rsplit("/", 1)[-1]
    stray_space = command != command.strip() or any(c.isspace() and c != " " for c in command)
    space = command.find(" ")
    separators = [i for i, c in enumerate(command) if c in "/\\"]
    words_without_path = space >= 0 and not (separators and separators[0] < space)
    if not name or stray_space or words_without_path or any(c.isspace() for c in name):
        raise Refused("MCP stdio command must be a single executable name or path; put options and arguments in "
                      "the 'args' field")
    base = _base(command)
    if base not in LAUNCHERS:
        raise Refused(f"Command '{base}' is not allowed for security reasons. Allowed commands: "
                      f"{', '.join(sorted(LAUNCHERS))}")


def _uvx_selection(args: list[str]) -> tuple[list[str], list[str], str | None]:
    """The packages uvx is told to install (--from ones, --with ones) and the operand it runs; an option it does
    not know, or one that changes where packages come from, is refused."""
    sources: list[str] = []
    extras: list[str] = []
    target: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            target = args[i + 1] if i + 1 < len(args) else None
            break
        option = arg.split("=", 1)[0]
        if option in UVX_SOURCE_OPTIONS or (not arg.startswith("--") and arg.startswith(UVX_SOURCE_SHORT)):
            raise _not_allowed("uvx", arg)
        if arg.startswith("-w") and not arg.startswith("--") and arg != "-w":
            package = arg[2:].removeprefix("=")
            if not package:
                raise _not_allowed("uvx", arg)
            extras.append(package)
            i += 1
            continue
        if option in UVX_PACKAGE_OPTIONS:
            package, i = _option_value(args, i, "uvx")
            (sources if option == "--from" else extras).append(package)
            continue
        if option in UVX_VALUED:
            i = _option_value(args, i, "uvx")[1]
            continue
        short = next((s for s in UVX_ATTACHED_SHORT if arg.startswith(s) and arg != s), None)
        if short is not None:
            if not arg[len(short):].removeprefix("="):
                raise _not_allowed("uvx", arg)
            i += 1
            continue
        if arg in UVX_BOOLEANS or (arg.startswith("-") and not arg.startswith("--") and len(arg) > 1
                                   and set(arg[1:]) <= UVX_SHORT_BOOLEANS):
            i += 1
            continue
        if arg.startswith("-"):
            raise _not_allowed("uvx", arg)
        target = arg
        break
    return sources, extras, target


def _check_uvx(args: list[str], lists: Allowlists | None) -> None:
    sources, extras, target = _uvx_selection(args)
    for package in sources + extras + ([target] if not sources and target is not None else []):
        if package.lower().endswith(ARCHIVES) or not PYTHON_REQUIREMENT.fullmatch(package):
            raise _not_allowed("uvx", package)
    if lists is None or lists.packages is None:
        return
    # the --from ones, the --with ones but the SDK pin Langflow adds itself, and without a --from what runs
    chosen = [*sources, *(p for p in extras if p != lists.sdk_pin), *([] if sources else [target or "<missing>"])]
    for package in chosen:
        lists.refuse_package(package, "uvx")
    if sources:
        if len(sources) != 1:
            raise Refused("Multiple --from packages are not allowed for MCP uvx")
        source = package_name(sources[0])
        runs = UVX_ENTRYPOINTS.get(source, frozenset({source}))
        if target not in runs:
            raise Refused(f"Entrypoint '{target or '<missing>'}' is not allowed for MCP uvx package '{source}'. "
                          f"Allowed entrypoints: {', '.join(sorted(runs))}")


def _check_npm_package(value: str) -> None:
    if value.lower().endswith(ARCHIVES) or not NPM_PACKAGE.fullmatch(value):
        raise _not_allowed("npx", value)


def _check_npx(args: list[str], lists: Allowlists | None) -> None:
    named: list[str] = []  # the --package ones
    runs: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            runs = args[i + 1] if i + 1 < len(args) else None
            if not named and runs is not None:
                _check_npm_package(runs)
            break
        option = arg.split("=", 1)[0]
        if option in NPX_SOURCE_OPTIONS:
            raise _not_allowed("npx", arg)
        if option in NPX_PACKAGE_OPTIONS:
            value, i = _option_value(args, i, "npx")
            _check_npm_package(value)
            named.append(value)
            continue
        if option in NPX_VALUED:
            i = _option_value(args, i, "npx")[1]
            continue
        if option in NPX_BOOLEANS:
            i += 1
            continue
        if arg.startswith("-"):
            raise _not_allowed("npx", arg)
        if not named:
            _check_npm_package(arg)
        runs = arg
        break
    if lists is None or lists.packages is None:
        return
    if not named:  # npx PACKAGE: what runs is the package
        lists.refuse_package(runs or "<missing>", "npx")
        return
    for package in named:
        lists.refuse_package(package or "<missing>", "npx")
    names = [package_name(p) for p in named]
    if unknown := [name for name in names if name not in NPX_ENTRYPOINTS]:
        raise Refused(f"Package '{unknown[0]}' has no verified entrypoint for explicit MCP npx package selection; use "
                      "the direct npx package form")
    allowed = frozenset().union(*(NPX_ENTRYPOINTS[name] for name in names))
    if runs not in allowed:
        raise Refused(f"Entrypoint '{runs or '<missing>'}' is not allowed for MCP npx packages '{', '.join(names)}'. "
                      f"Allowed entrypoints: {', '.join(sorted(allowed)) or '<none>'}")


def _short_cluster_has(option: str, letter: str, before: frozenset[str]) -> bool:
    """Whether a short-option cluster like "-itv" holds `letter` after only letters from `before`."""
    if not option.startswith("-") or option.startswith("--"):
        return False
    cluster = option[1:].split("=", 1)[0]
    at = cluster.find(letter)
    return at >= 0 and set(cluster[:at]) <= before


def _check_docker(args: list[str], hardened: bool) -> None:
    if not args or args[0].lower() != "run":
        raise _not_allowed("docker", args[0] if args else "<missing run subcommand>")
    for i, arg in enumerate(args):
        option = arg.split("=", 1)[0]
        if option in DOCKER_HOST_ACCESS or _short_cluster_has(option, "v", DOCKER_SHORT_CLUSTER):
            raise _not_allowed("docker", arg)
        if option in DOCKER_NAMESPACES and _shares_host(_option_value(args, i, "docker")[0]):
            raise _not_allowed("docker", arg)
        if option == "--security-opt" and _unconfines(_option_value(args, i, "docker")[0]):
            raise _not_allowed("docker", arg)
        if hardened and _hardened_breach(option, lambda i=i: _option_value(args, i, "docker")[0]):
            raise _not_allowed("docker", arg)


def _hardened_breach(option: str, value: Callable[[], str]) -> bool:
    """Whether an option breaks LANGFLOW_MCP_SERVER_DOCKER_HARDENING's own rules (its value read only for a
    namespace or a network): host files, devices, ports, runtimes, restarts, a namespace of the host or another
    container, a network but the default ones."""
    if option in DOCKER_HARDENED or _publishes(option):
        return True
    if option in DOCKER_HARDENED_NAMESPACES:
        return _shares_host(value())
    return option in DOCKER_NETWORKS and value().lower() not in DOCKER_SAFE_NETWORKS


def _shares_host(namespace: str) -> bool:
    namespace = namespace.lower()
    return namespace == "host" or namespace.startswith("container:")


def _unconfines(security_opt: str) -> bool:
    return "unconfined" in security_opt.lower() or "disable" in security_opt.lower()


def _publishes(option: str) -> bool:
    """-p or -P, alone or after boolean short flags ("-itp8080:80")."""
    return any(_short_cluster_has(option, letter, frozenset("dit")) for letter in "pP")


def _check_interpreter(launcher: str, argv: list[str], hardened: bool) -> None:
    """Node takes no runtime option (nor `inspect`) before its script; with interpreter hardening, a shell's
    leading switch must be one that runs a command line it is given (sh/bash -c, not /c; cmd /c). (Python and node
    were held to hardening before, by _check_hardened_interpreter.)"""
    if launcher == "node" and argv and (argv[0].startswith("-") or argv[0] == "inspect"):
        raise Refused("Node.js runtime options or 'inspect' are not allowed before an MCP server script; use "
                      "'node server.js [server args]' or an operator-approved launcher")
    if not hardened:
        return
    if launcher in SHELLS:
        first = argv[0].lower() if argv else ""
        leading = (_cmd_runs_first(argv) if launcher == "cmd"
                   else first.startswith("-") and not first.startswith("--") and "c" in first[1:])
        if leading and _wrapped(launcher, argv) is not None:
            return
        raise Refused(f"Direct shell scripts are not allowed for MCP command '{launcher}'")


def _check_hardened_interpreter(base: str, argv: list[str]) -> None:
    """Interpreter hardening as the config check applies it first, to a command and to what a wrapper wraps (in
    the words of its own settings): a shell must start by running a command line, python and node run only
    Langflow's agentic MCP module. _check_interpreter then holds the launcher to its source rules."""
    if base in SHELLS:
        if argv and (_cmd_runs_first(argv) if base == "cmd" else _runs_code(argv[0], base)):
            return
        raise Refused(f"Shell command '{base}' must wrap an approved MCP command when "
                      "LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING=true. Direct shell scripts are not allowed.")
    if base in ("node", "python", "python3") and not (
            base != "node" and len(argv) >= 2 and argv[0] == "-m" and argv[1] in AGENTIC_MODULES):
        raise Refused(f"Interpreter command '{base}' is not allowed when LANGFLOW_MCP_SERVER_INTERPRETER_HARDENING="
                      "true. Use an operator-approved package runner instead.")


def _check_launcher(command: str, args: list[str], lists: Allowlists | None) -> None:
    executable, argv = _split(command, args)
    launcher = _launcher(executable)
    _check_interpreter(launcher, argv, lists is not None and lists.interpreters)
    if launcher == "uvx":
        _check_uvx(argv, lists)
    elif launcher == "npx":
        _check_npx(argv, lists)
    elif launcher == "docker":
        _check_docker(argv, lists is not None and lists.docker)


# --- step 3: shell wrappers ------------------------------------------------------------------------------


def _cmd_runs(arg: str) -> bool:
    """Whether a cmd.exe switch (possibly clustered, like "/q/k") makes cmd run what follows."""
    arg = arg.lower()
    return arg.startswith("/") and any(part[:1] not in CMD_QUIET_SWITCHES for part in arg.split("/") if part)


def _cmd_runs_first(args: list[str]) -> bool:
    for arg in args:
        if not arg.startswith("/"):
            return False
        if _cmd_runs(arg):
            return True
    return False


def _runs_code(arg: str, base: str) -> bool:
    lower = arg.lower()
    if lower in EXEC_FLAGS or (base == "cmd" and _cmd_runs(lower)):
        return True
    return lower.startswith("-") and not lower.startswith("--") and "c" in lower[1:]


def _shell_payload(shell: str, payload: str) -> tuple[str, list[str]]:
    if any(c in SHELL_CONTROL for c in payload):
        raise _not_allowed(shell, payload)
    try:
        words = shlex.split(payload)
    except ValueError as exc:
        raise Refused(f"Shell wrapper '{shell}' payload cannot be parsed safely") from exc
    if not words:
        raise _not_allowed(shell, payload)
    if "=" in words[0]:
        raise Refused(f"Shell wrapper '{shell}' cannot start with an assignment-like token")
    expansion = next((c for c in payload if c in SHELL_EXPANSION), None)
    if expansion is not None:
        raise _unsupported_char(shell, expansion)
    return words[0], words[1:]


def _wrapped(command: str, args: list[str]) -> tuple[str, list[str]] | None:
    """What a shell wrapper runs, as executable and argv; None when it runs no command line."""
    shell = _launcher(command)
    for i, arg in enumerate(args):
        if shell == "cmd":
            if not _cmd_runs(arg) or i + 1 >= len(args):
                continue
            payload = " ".join(args[i + 1:])
            odd = next((c for c in payload if c in CMD_TRANSFORMING), None)
            if odd is not None:
                raise _unsupported_char(shell, odd)
            if any(c in SHELL_CONTROL for c in payload):
                raise _not_allowed(shell, payload)
            return _split(args[i + 1], args[i + 2:])
        lower = arg.lower()
        if not (lower.startswith("-") and not lower.startswith("--") and "c" in lower[1:]):
            continue
        attached = arg[1:][lower[1:].index("c") + 1:]
        if attached:
            return _shell_payload(shell, attached)
        if i + 1 < len(args):
            return _shell_payload(shell, args[i + 1])
    return None


def _check_wrapper(command: str, args: list[str], lists: Allowlists | None) -> None:
    base = _base(command)
    if base in {"python", "python3"} and any(_runs_code(a, base) for a in args):
        raise Refused(f"Flag -c or /c is only allowed with shell wrappers (cmd/sh/bash), not with '{base}'")
    if base not in SHELLS:
        return
    first = _cmd_runs_first(args) if base == "cmd" else _runs_code(args[0], base)
    if not first or len(args) < 2:
        return
    # cmd's command line as cmd reads it; when there is none after its run switch, its second word
    parsed = _wrapped(base, args) if base == "cmd" else None
    inner, inner_args = parsed if parsed is not None else (args[1], args[2:])
    if not inner:
        return
    inner_base = _base(inner)
    if inner_base not in WRAPPABLE:
        raise Refused(f"Shell wrapper '{base}' cannot execute '{inner_base}'. Only these commands can be wrapped: "
                      f"{', '.join(sorted(WRAPPABLE))}")
    try:
        words = shlex.split(inner)
    except ValueError:
        words = inner.split()
    # what it wraps is held to interpreter hardening and docker's flag rules here already, ahead of the argument
    # scan (its source rules wait for the wrapped command's own check)
    if words and lists is not None and lists.interpreters:
        _check_hardened_interpreter(_base(words[0]), words[1:] + inner_args)
    if words and _base(words[0]) == "docker":
        _check_docker_flags(words[1:] + inner_args, lists is not None and lists.docker)


# --- steps 4-6 ---------------------------------------------------------------------------------------------


def _check_docker_flags(args: list[str], hardened: bool) -> None:
    """docker's flag rules as the config check words them: the older ones (privilege flags and the "=" forms of
    network, pid and capability flags), or hardened, _check_docker's (a namespace or network given no value is
    judged as empty)."""
    if not hardened:
        for arg in args:
            if arg in DOCKER_OLD_FLAGS or arg.startswith(DOCKER_OLD_PREFIXES):
                raise _docker_refused(arg)
        return
    if not args or args[0].lower() != "run":
        raise _docker_refused(args[0] if args else "<missing run subcommand>")
    for i, arg in enumerate(args):
        option, eq, attached = arg.partition("=")
        value = attached if eq else (args[i + 1] if i + 1 < len(args) else "")
        if (_hardened_breach(option, lambda value=value: value) or _short_cluster_has(arg, "v", frozenset("diPt"))
                or option == "--security-opt" and _unconfines(value)):
            raise _docker_refused(arg)


def _docker_refused(arg: str) -> Refused:
    return Refused(f"Docker argument '{arg}' is not allowed for security reasons")


def _check_args(command: str | None, args: list[str]) -> None:
    for arg in args:
        char = next((c for c in arg if c in METACHARACTERS), None)
        if char is not None:
            raise Refused(f"Argument contains dangerous shell metacharacter '{char}': {arg}")
    allowed = KEYWORDS_ALLOWED.get(_base(command) if command else "", frozenset())
    for arg in args:
        if arg.lower() in EXEC_FLAGS or arg.lower() in allowed:
            continue
        try:
            words = shlex.split(arg)
        except ValueError:
            words = arg.split()
        for word in (w for token in words for w in re.split(r"[,;|&]+", token) if w):
            if word.lower() in KEYWORDS:
                raise Refused(f"Argument '{arg}' contains dangerous keyword '{word}' and is not allowed")


def _check_env(env: dict[str, str], allowed: frozenset[str] | None) -> None:
    for key in env:
        if allowed is not None:
            if key.strip().lower() not in allowed:
                raise Refused(f"Environment variable '{key}' is not allowed: this deployment restricts MCP stdio "
                              "environments to LANGFLOW_MCP_SERVER_ENV_ALLOWLIST")
            continue
        lower = key.lower()
        if lower not in ENV_HARMLESS and (lower in ENV_NAMES or lower.startswith(ENV_FAMILIES)):
            raise Refused(f"Environment variable '{key}' is not allowed for security reasons")


def _check(command: str | None, args: list[str], env: dict[str, str], depth: int = 0, *,
           lists: Allowlists | None = None) -> None:
    if command:
        _check_command(command)
        if lists is not None and lists.interpreters:
            _check_hardened_interpreter(_base(command), args)
        _check_launcher(command, args, lists)
        if args:
            _check_wrapper(command, args, lists)
    _check_args(command, args)
    _check_env(env, lists.env if lists is not None else None)
    if command and args and _base(command) == "docker":
        _check_docker_flags(args, lists is not None and lists.docker)
    if command and _base(command) in SHELLS:
        inner = _wrapped(command, args)
        if inner is not None:
            if depth >= MAX_WRAPPING:
                raise Refused(f"MCP stdio shell wrapper nesting exceeds {MAX_WRAPPING} levels")
            _check(inner[0], inner[1], env, depth + 1, lists=lists)


# --- an uploaded MCP servers file --------------------------------------------------------------------------


class MCPServerConfig(schemas_mcp.MCPServerConfig):
    """1.13's request model of a server config (its name shows in pydantic's texts), with the policy as its
    after-validator: what a v2 upload of the MCP servers file validates each entry with, its ValidationError's
    text the 422's."""

    @model_validator(mode="after")
    def _policy(self, info: ValidationInfo) -> MCPServerConfig:
        reason = refusal(self.command, self.args, self.env, (info.context or {}).get("lists"))
        if reason is not None:
            raise ValueError(reason)
        return self


def entry_refusal(config: object, pydantic_docs: str, lists: Allowlists | None = None) -> str | None:
    """pydantic's text for an entry 1.13's request model refuses (None: it passes), its docs link naming the
    pydantic release Langflow shipped with."""
    try:
        MCPServerConfig.model_validate(config, context={"lists": lists})
    except ValidationError as exc:
        return pydantic_text(exc, pydantic_docs)
    return None
