"""Write the API's OpenAPI document to a file (default web/src/api/openapi.json) without starting a server.

The web app's typed client is generated from this file, so a route or field that changes in the API breaks
the SPA's type check. Usage: .venv/bin/python scripts/dump-openapi.py [OUTPUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "web" / "src" / "api" / "openapi.json"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO_ROOT))
    import app  # noqa: F401 - registers every blueprint's routes
    from chalicelib.api.openapi import document

    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    text = json.dumps(document(), indent=2, sort_keys=True) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    if not output.exists() or output.read_text() != text:  # unchanged: keep the mtime (make stays idle)
        output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
