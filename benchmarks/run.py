"""Run every ``benchmarks/bench_*.py`` in one process run, one after another.

Each benchmark module defines ``main()`` that prints its own table: our time, the peers' time
in the same run, and the ratio. Usage: ``python benchmarks/run.py [name-substring ...]``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    files = sorted(HERE.glob("bench_*.py"))
    if wanted:
        files = [f for f in files if any(w in f.stem for w in wanted)]
    sys.path.insert(0, str(HERE))
    for path in files:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n=== {path.stem} ===", flush=True)
        start = time.perf_counter()
        module.main()
        print(f"({path.stem} took {time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
