"""python -m bench            list the benchmarks
python -m bench NAME [ARGS]  run bench/NAME.py (each prints its own figure)"""

import ast
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benches() -> dict[str, str]:
    found = {}
    for path in sorted(HERE.glob("*.py")):
        if path.name.startswith("_"):
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        found[path.stem] = doc.splitlines()[0] if doc else ""
    return found


def main(argv: list[str]) -> int:
    available = benches()
    if not argv or argv[0] not in available:
        if argv:
            print(f"unknown bench {argv[0]!r}\n")
        print(__doc__ + "\n")
        for name, summary in available.items():
            print(f"  {name:<20} {summary}")
        return 0 if not argv else 2
    sys.argv = [str(HERE / f"{argv[0]}.py"), *argv[1:]]
    runpy.run_path(sys.argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
