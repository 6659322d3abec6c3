"""Measure how Kazi reads submission XML: time and memory against a tree parse.

Run from the repository root:

    .venv/bin/python benchmarks/instance_xml.py

Two fixed documents:

- usual: a 3 KB submission with 150 answers, a photo and meta/instanceID;
- large: a 10 MB submission with 1.25 million answer elements.

For each, the script times ``read_instance`` followed by ``expected_files`` (what the
server does with every submission) and, as the baseline, ``app.core.xml.parse`` of
the same bytes into an ElementTree, which is the least work that keeps the whole
document in memory. Peak memory is the largest allocation tracemalloc sees, in a
separate run from the timing, because tracing slows Python down.
"""

import time
import tracemalloc

from app.core import xml
from app.submissions.instance import read_instance

BINARY_PATHS = frozenset({"/data/photo"})


def usual_document() -> bytes:
    answers = "".join(f"<q{i}>answer {i}</q{i}>" for i in range(150))
    return (
        f'<data id="survey" version="1">{answers}<photo>photo.jpg</photo>'
        "<meta><instanceID>uuid:0d2c7c9e-3b7a-4d43-9f5e-1c2b3a4d5e6f</instanceID>"
        "</meta></data>"
    ).encode()


def large_document() -> bytes:
    return (
        b'<data id="survey" version="1"><meta><instanceID>uuid:large</instanceID></meta>'
        + b"<a>x</a>" * 1_250_000
        + b"<photo>photo.jpg</photo></data>"
    )


def read_as_server(data: bytes) -> list[str]:
    instance = read_instance(data)
    return instance.expected_files(BINARY_PATHS, {"photo.jpg"})


def tree_parse(data: bytes) -> object:
    return xml.parse(data, namespaces=False)


def seconds_per_call(function, data: bytes, repeat: int) -> float:
    function(data)
    started = time.perf_counter()
    for _ in range(repeat):
        function(data)
    return (time.perf_counter() - started) / repeat


def peak_bytes(function, data: bytes) -> int:
    tracemalloc.start()
    try:
        function(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    cases = [("usual", usual_document(), 2000), ("large", large_document(), 3)]
    for name, data, repeat in cases:
        assert read_as_server(data) == ["photo.jpg"]
        kazi_time = seconds_per_call(read_as_server, data, repeat)
        tree_time = seconds_per_call(tree_parse, data, repeat)
        kazi_peak = peak_bytes(read_as_server, data)
        tree_peak = peak_bytes(tree_parse, data)
        print(
            f"{name:6} {len(data) / 1e6:7.3f} MB | "
            f"time: kazi {kazi_time * 1e3:9.3f} ms, "
            f"tree parse {tree_time * 1e3:9.3f} ms, "
            f"ratio {kazi_time / tree_time:5.2f} | "
            f"peak memory: kazi {kazi_peak / 1e6:8.2f} MB, "
            f"tree parse {tree_peak / 1e6:8.2f} MB, ratio {kazi_peak / tree_peak:5.3f}"
        )


if __name__ == "__main__":
    main()
