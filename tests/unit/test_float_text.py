"""The float rewriters of mock_langflow.jsonsafety against the writers they imitate."""

from __future__ import annotations

import json
import math
import struct

import orjson
from pydantic_core import to_json

from mock_langflow.jsonsafety import python_floats, serde_floats

# Floats of every magnitude (powers of ten, their halves, and bit patterns spread over the whole range), and strings
# that look like numbers, which must stay as they are.
FLOATS = [v for k in range(-320, 309) for v in (10.0 ** k, -1.5 * 10.0 ** k)]
FLOATS += [struct.unpack("<d", struct.pack("<Q", (n * 0x9E3779B97F4A7C15) % 2**64))[0] for n in range(1, 20000)]
FLOATS = [v for v in FLOATS if math.isfinite(v)] + [0.0, -0.0, 1.0, 0.0001, 0.00001, 5e-324]
DOC = {"floats": FLOATS, "ints": [0, -7, 10**16, 2**63 - 1],
       "strings": ["1e-7", ":1e-7,", "[0.00001]", 'q\\"1e+16', "x:1e+16}", "café"]}


def test_python_floats_writes_what_json_dumps_writes() -> None:
    expected = json.dumps(DOC, separators=(",", ":"), ensure_ascii=False).encode()
    assert python_floats(orjson.dumps(DOC)) == expected
    assert python_floats(to_json(DOC)) == expected


def test_serde_floats_drops_only_an_exponents_plus_sign() -> None:
    assert serde_floats(b'{"a":1e+16,"b":-1.5e+300,"c":"1e+16","d":1e-7,"e":1e16}') == \
        b'{"a":1e16,"b":-1.5e300,"c":"1e+16","d":1e-7,"e":1e16}'
    written = serde_floats(to_json(DOC)).decode()
    assert json.loads(written) == DOC and "e+" not in written.replace('"x:1e+16}"', "").replace('1e+16"', "")
