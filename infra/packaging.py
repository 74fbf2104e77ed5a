"""What the CDK app deploys as code: the API's project dir, the functions' code and the dependency layer.

Everything is built under infra/build/ (git-ignored) from the repository, so a synth never depends on what
happens to lie in the working tree beside the code (caches, .devstack/, node_modules ...):

- the API project dir: app.py, chalicelib/, .chalice/config.json and an empty requirements.txt, so that
  `chalice package` (run by chalice.cdk) ships first-party code plus Chalice's runtime module only, with
  their bytecode (chalicelib/**/__pycache__, and vendor/ for app.py and chalice/, which the package puts
  at its root);
- the functions' code: functions/ and chalicelib/ with their bytecode (no Chalice: the handlers do not
  import it);
- the layer: layers/requirements.txt installed for Lambda (manylinux wheels for the runtime's Python) into
  layers/python/, with its bytecode compiled (unchecked-hash .pyc files: Lambda's file system is read-only,
  so without them every cold start compiles botocore, pydantic ... from source), rebuilt only when a
  requirements file changes.

Run `python infra/packaging.py layer` to build the layer (what `make layer` does).
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "infra" / "build"
API_DIR = BUILD / "api"
FUNCTIONS_DIR = BUILD / "functions"
LAYER_ROOT = ROOT / "layers"
LAYER_SITE = LAYER_ROOT / "python"
LAYER_STAMP = LAYER_SITE / ".requirements.sha256"
LAMBDA_PYTHON = "3.11"
LAMBDA_RUNTIME = f"python{LAMBDA_PYTHON}"
LAMBDA_PLATFORM = "manylinux2014_x86_64"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".mypy_cache", ".pytest_cache")
_EMPTY_REQUIREMENTS = (
    "# Intentionally empty: the dependencies are the layer built from layers/requirements.txt, and\n"
    "# `chalice package` vendors Chalice's own runtime module into the package.\n"
)


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, ignore=_IGNORE)


def stage_api() -> Path:
    """A fresh Chalice project dir for `chalice package`; returns its path."""
    shutil.rmtree(API_DIR, ignore_errors=True)
    (API_DIR / ".chalice").mkdir(parents=True)
    shutil.copy2(ROOT / "app.py", API_DIR / "app.py")
    shutil.copy2(ROOT / ".chalice" / "config.json", API_DIR / ".chalice" / "config.json")
    _copy_tree(ROOT / "chalicelib", API_DIR / "chalicelib")
    (API_DIR / "requirements.txt").write_text(_EMPTY_REQUIREMENTS)
    add_bytecode(API_DIR)
    return API_DIR


def add_bytecode(project: Path) -> None:
    """Compiled bytecode for what `chalice package` ships from `project`: Lambda's file system is read-only,
    so modules without a valid .pyc are compiled at every cold start. unchecked-hash: valid whatever the
    files' times after unzipping. Only when this Python is the runtime's."""
    import py_compile

    import chalice
    from chalice import app as chalice_app

    if not _is_lambda_python():
        return
    if (project / "chalicelib").is_dir():
        _compile(project / "chalicelib")
    vendor = project / "vendor"
    pairs = [(project / "app.py", vendor / "app.py")]
    pairs += [
        (Path(m.__file__ or ""), vendor / "chalice" / Path(m.__file__ or "").name)
        for m in (chalice, chalice_app)
    ]
    for source, placed in pairs:
        py_compile.compile(
            str(source),
            cfile=importlib.util.cache_from_source(str(placed)),
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )


def _is_lambda_python() -> bool:
    return f"{sys.version_info.major}.{sys.version_info.minor}" == LAMBDA_PYTHON


def stage_functions() -> Path:
    """A fresh directory with the functions' code (functions/ and chalicelib/); returns its path."""
    shutil.rmtree(FUNCTIONS_DIR, ignore_errors=True)
    FUNCTIONS_DIR.mkdir(parents=True)
    _copy_tree(ROOT / "functions", FUNCTIONS_DIR / "functions")
    _copy_tree(ROOT / "chalicelib", FUNCTIONS_DIR / "chalicelib")
    if _is_lambda_python():
        _compile(FUNCTIONS_DIR)
    return FUNCTIONS_DIR


def layer_fingerprint() -> str:
    """Hash of every requirements file the layer is built from, and of the target platform."""
    digest = hashlib.sha256(f"{LAMBDA_PLATFORM} {LAMBDA_PYTHON} unchecked-hash-pyc\n".encode())
    for path in (LAYER_ROOT / "requirements.txt", ROOT / "requirements.txt"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def layer_is_current() -> bool:
    return LAYER_STAMP.exists() and LAYER_STAMP.read_text().strip() == layer_fingerprint()


def build_layer(force: bool = False) -> Path:
    """Install layers/requirements.txt for Lambda into layers/python/ unless it is already current."""
    if layer_is_current() and not force:
        return LAYER_SITE
    shutil.rmtree(LAYER_SITE, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--target",
            str(LAYER_SITE),
            "--platform",
            LAMBDA_PLATFORM,
            "--implementation",
            "cp",
            "--python-version",
            LAMBDA_PYTHON,
            "--only-binary=:all:",
            "--requirement",
            str(LAYER_ROOT / "requirements.txt"),
        ],
        check=True,
    )
    for cache in LAYER_SITE.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    _compile(LAYER_SITE)
    LAYER_STAMP.write_text(layer_fingerprint() + "\n")
    return LAYER_SITE


def _compile(site: Path) -> None:
    """Bytecode for the Lambda runtime's Python, valid whatever the files' times after unzipping."""
    if not _is_lambda_python():
        print(f"not compiling {site}: this is Python {sys.version_info[:2]}, Lambda runs {LAMBDA_PYTHON}")
        return
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            str(site),
        ],
        check=False,  # a file that does not compile (a py2 test fixture in some wheel) is not imported either
    )


def require_layer() -> Path:
    """The built layer; a clear error when it is missing or stale (synth never installs by surprise)."""
    if not layer_is_current():
        raise SystemExit(
            "The dependency layer is missing or older than requirements.txt: run `make layer` "
            "(or `python infra/packaging.py layer`) first."
        )
    return LAYER_SITE


def directory_size(path: Path) -> tuple[int, int]:
    """(bytes, files) under `path`."""
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


if __name__ == "__main__":
    if sys.argv[1:] != ["layer"]:
        raise SystemExit("usage: python infra/packaging.py layer")
    site = build_layer()
    size, count = directory_size(site)
    print(f"layer: {site.relative_to(ROOT)} ({size / 1e6:.1f} MB in {count} files)")
