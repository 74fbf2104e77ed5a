"""Cold start: median wall time of `import app` vs a bare Chalice app that imports boto3.

Each run is a fresh interpreter (as a Lambda cold start is); both are run interleaved in the
same session so machine noise hits them alike. Prints medians and their ratio (goal <= 1.3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMER = (
    "import time, sys; t = time.perf_counter(); import {module}; "
    "sys.stdout.write(str(time.perf_counter() - t))"
)
BASELINE = "import boto3\nfrom chalice import Chalice\n\napp = Chalice(app_name='baseline')\n"


def run_once(module: str, cwd: Path) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(module=module)],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = Path(tmp)
        (base_dir / "baseline_app.py").write_text(BASELINE)
        run_once("app", ROOT)  # warm the bytecode caches of both once
        run_once("baseline_app", base_dir)
        ours, base = [], []
        for _ in range(args.runs):
            ours.append(run_once("app", ROOT))
            base.append(run_once("baseline_app", base_dir))
    m_ours, m_base = statistics.median(ours), statistics.median(base)
    print(f"runs each:            {args.runs}")
    print(f"import app (median):  {m_ours * 1000:7.1f} ms")
    print(f"baseline (median):    {m_base * 1000:7.1f} ms   (bare Chalice app + boto3)")
    print(f"ratio:                {m_ours / m_base:7.2f}   (goal <= 1.30)")


if __name__ == "__main__":
    main()
