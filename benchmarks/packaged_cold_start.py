"""Cold start of the API as deployed: `import app` from the unpacked `chalice package` zip plus the layer.

Packages the API exactly as the CDK app does (infra/packaging.py: first-party code, Chalice's runtime, no
dependencies) and a bare Chalice handler that imports boto3 the same way, unpacks both, and imports each in a
fresh interpreter that sees only the standard library, the package and the layer (`python -I -S`), as a
Lambda function does. Interleaved runs, medians, ratio (goal <= 1.3).

Two modes: "as deployed" uses exactly the shipped files and writes no bytecode (Lambda's /var/task and /opt
are read-only; the package and the layer ship compiled bytecode, infra/packaging.py); "from source" deletes
every .pyc first, which is what a cold start costs without them.

Run with the infra venv (it has the Chalice CLI and the layer builder): infra/.venv/bin/python
benchmarks/packaged_cold_start.py (after `make layer`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from infra import packaging  # noqa: E402 - needs the repository root on sys.path

BASELINE = "import boto3\nfrom chalice import Chalice\n\napp = Chalice(app_name='baseline')\n"
TIMER = (
    "import sys, time; sys.path[:0] = {paths!r}; t = time.perf_counter(); import app; "
    "sys.stdout.write(str(time.perf_counter() - t))"
)


def package(project: Path, out: Path) -> Path:
    """`chalice package` `project` into `out`; returns the unpacked code directory."""
    from chalice import api

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    api.package_app(project_dir=str(project), output_dir=str(out), stage="dev")
    unpacked = out / "code"  # a directory named like neither copy made by measure()
    with zipfile.ZipFile(out / "deployment.zip") as archive:
        archive.extractall(unpacked)
    return unpacked


def baseline_project(tmp: Path) -> Path:
    project = tmp / "baseline"
    (project / ".chalice").mkdir(parents=True)
    (project / "app.py").write_text(BASELINE)
    (project / "requirements.txt").write_text("")
    (project / ".chalice" / "config.json").write_text(json.dumps({"version": "2.0", "app_name": "baseline"}))
    packaging.add_bytecode(project)  # packaged the same way as the API
    return project


def run_once(code: Path, layer: Path) -> float:
    """One cold import; -B: like Lambda's read-only file system, no bytecode is written."""
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", TIMER.format(paths=[str(code), str(layer)])],
        cwd=code.parent,
        env={"AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"},
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def measure(tmp: Path, code: dict[str, Path], layer: Path, runs: int, compiled: bool) -> tuple[float, float]:
    """Median import time of ours and the baseline, on fresh copies of the shipped files."""
    mode = "shipped" if compiled else "source"
    ours, base, site = (
        Path(shutil.copytree(path, tmp / mode / name)) for name, path in (*code.items(), ("layer", layer))
    )
    if not compiled:
        for root in (ours, base, site):
            for cache in list(root.rglob("__pycache__")):
                shutil.rmtree(cache)
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(run_once(ours, site))
        theirs.append(run_once(base, site))
    return statistics.median(mine), statistics.median(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    layer = packaging.require_layer()
    layer_bytes, layer_files = packaging.directory_size(layer)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ours = package(packaging.stage_api(), tmp / "ours")
        base = package(baseline_project(tmp), tmp / "base")
        zipped = (tmp / "ours" / "deployment.zip").stat().st_size
        unpacked, files = packaging.directory_size(ours)
        print(f"API package: {zipped / 1e6:6.2f} MB zipped, {unpacked / 1e6:.2f} MB unpacked, {files} files")
        print(f"layer:       {layer_bytes / 1e6:6.2f} MB unpacked, {layer_files} files")
        print(f"runs each:   {args.runs} (interleaved; python -I -S: stdlib + package + layer only)")
        for label, compiled in (("as deployed", True), ("from source", False)):
            m_ours, m_base = measure(tmp, {"ours": ours, "base": base}, layer, args.runs, compiled)
            print(
                f"{label:22} import app {m_ours * 1000:7.1f} ms | bare Chalice + boto3 "
                f"{m_base * 1000:7.1f} ms | ratio {m_ours / m_base:4.2f} (goal <= 1.30)"
            )


if __name__ == "__main__":
    main()
