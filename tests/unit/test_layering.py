"""The layering rules of DESIGN.md §2, read from the import statements of every source file."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "chalicelib"
MAX_LINES = 400
# Third-party SDKs that only adapters (and, for PynamoDB/boto3 persistence, the store) may import.
VENDOR_SDKS = {
    "docker",
    "kubernetes",
    "linode_api4",
    "paypalserversdk",
    "fpdf",
    "jwt",
    "argon2",
    "requests",
    "botocore",
}
STORE_SDKS = {"pynamodb"}
AWS_SDKS = {"boto3"}
CAPABILITY_DIRS = ("api", "domain", "store")


def _python_files(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def _layer(path: Path) -> str:
    return path.relative_to(LIB).parts[0] if len(path.relative_to(LIB).parts) > 1 else path.stem


SOURCES = list(_python_files(LIB))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_layer_imports_only_what_it_may(path: Path) -> None:
    layer = _layer(path)
    imports = _imports(path)
    tops = {_top(m) for m in imports}
    if layer == "domain":
        allowed_first_party = ("chalicelib.domain",)
        assert not tops & (
            VENDOR_SDKS | STORE_SDKS | AWS_SDKS | {"pydantic", "chalice", "aws_lambda_powertools"}
        )
        first = {m for m in imports if m.startswith("chalicelib")}
        assert all(m.startswith(allowed_first_party) for m in first), first
    if layer != "store":
        assert "pynamodb" not in tops, "only chalicelib/store imports PynamoDB"
    if layer not in ("adapters",):
        assert not tops & VENDOR_SDKS, f"only adapters import vendor SDKs: {tops & VENDOR_SDKS}"
    if layer not in ("adapters", "store"):
        assert "boto3" not in tops, "only adapters (and the store's persistence) create AWS clients"
    if layer == "store":
        first = {m for m in imports if m.startswith("chalicelib")}
        assert all(m.startswith(("chalicelib.store", "chalicelib.domain")) for m in first), first
    if layer == "adapters":
        first = {m for m in imports if m.startswith("chalicelib")}
        assert all(m.startswith(("chalicelib.adapters", "chalicelib.domain")) for m in first), first


@pytest.mark.parametrize(
    "path",
    [*SOURCES, *_python_files(ROOT / "functions"), ROOT / "app.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_source_file_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it by capability or role"


def test_every_capability_has_its_own_slice_in_each_layer() -> None:
    def areas(layer: str) -> set[str]:
        return {
            p.name for p in (LIB / layer).iterdir() if p.is_dir() and p.name not in ("__pycache__", "shared")
        }

    api, domain, store = areas("api"), areas("domain"), areas("store")
    assert api <= domain, f"routes without a domain slice: {api - domain}"
    assert store <= domain, f"stores without a domain slice: {store - domain}"
    for area in domain:
        assert (LIB / "domain" / area / "service.py").exists(), f"domain/{area} has no service.py"


def test_heavy_sdks_are_imported_inside_functions_only() -> None:
    """Adapters import docker, jwt, argon2 ... inside the functions using them (`import app` stays cheap)."""
    for path in _python_files(LIB / "adapters"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            heavy = {_top(n) for n in names} & (VENDOR_SDKS | AWS_SDKS)
            assert not heavy, f"{path.relative_to(ROOT)} imports {heavy} at module level"
