"""Where a start-up's time goes, sampled: `python -m benchmarks.startup_profile [--starts N] [--by who|leaf]`.

Starts the mock N times (`mock-langflow serve` on a fresh data dir, as the cold start benchmark does) under
py-spy (`pip install py-spy`; not a dependency of the mock), each sampled at 2,000 Hz from the process's start to
its first 200 on /api/v1/version, then prints the milliseconds per start charged to each part:

- `lib:<package>`: time under a third-party package's frames (its import, or work the mock asked of it), charged to
  the outermost such package: SQLAlchemy imported by SQLModel counts as sqlmodel;
- `mock:<module>`: the mock's own code with no library below it (its module bodies, its start-up work), charged to
  the innermost of the mock's frames;
- `python:<file>`: neither (the interpreter's start, the import system, the standard library).

`--by who` adds to each library the mock module that called or imported it; `--by leaf` charges the mock's part to
the innermost frame's function instead (where a module's load spends: reading and unmarshalling bytecode, making
dataclasses...). Sampling slows the process by about a sixth, so compare parts with each other, not with the
benchmark's start-up figures.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from benchmarks import servers

RATE = 2000
FRAME = re.compile(r"^(?P<name>.*) \((?P<path>[^()]*?):\d+\)$")


def sample(out: Path, port: int) -> None:
    """One start of the mock under py-spy, written to `out` as collapsed stacks."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    data_dir = tempfile.mkdtemp(prefix="mock-langflow-profile-")
    command = [spy, "record", "--rate", str(RATE), "--format", "raw", "--nonblocking", "-o", str(out), "--",
               sys.executable, "-m", "mock_langflow", "serve", "--port", str(port), "--data-dir", data_dir,
               "--api-key", servers.API_KEY]
    proc = subprocess.Popen(command, env=servers.child_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if servers.get("127.0.0.1", port, servers.READY_PATH, timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.005)
    finally:
        subprocess.run(["pkill", "-INT", "-f", f"serve --port {port} "], check=False)
        proc.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)


def charge(stack: list[tuple[str, str]], libraries: set[str], by: str) -> str:
    """The part a sample's stack (outermost first: function, file) is charged to."""
    mock = [(name, path) for name, path in stack if path.startswith("mock_langflow/")]
    for _, path in stack:
        top = path.split("/")[0].removesuffix(".py")
        if top in libraries:
            caller = f" <- {mock[-1][1]}" if by == "who" and mock else ""
            return f"lib:{top}{caller}"
    if mock:
        if by == "leaf":
            return f"mock:{stack[-1][1]} {stack[-1][0]}"
        return f"mock:{mock[-1][1]}"
    return f"python:{stack[-1][1]}" if stack else "python:"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--by", choices=("part", "who", "leaf"), default="part")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    site = sysconfig.get_paths()["purelib"]
    libraries = {name.split(".")[0].split("-")[0] for name in os.listdir(site)} - {"mock_langflow"}
    parts: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(args.starts):
            out = Path(tmp) / f"start{index}.txt"
            sample(out, 7990)
            for line in out.read_text().splitlines():
                stack_text, _, count = line.rpartition(" ")
                stack = [(m["name"], m["path"]) for f in stack_text.split(";") if (m := FRAME.match(f))]
                parts[charge(stack, libraries, args.by)] += int(count)
    per_start = 1000 / RATE / args.starts
    print(f"{args.starts} starts, {sum(parts.values()) * per_start:.0f} ms sampled per start (py-spy at {RATE} Hz)")
    for part, count in parts.most_common(args.top):
        print(f"{count * per_start:8.1f} ms  {part}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
