#!/usr/bin/env python3
"""The CDK app: `python infra/app.py` synthesizes ContainerStacks-<stage> into $CDK_OUTDIR (default cdk.out).

Context (CDK_CONTEXT_JSON, or `-c` through the CDK CLI): stage=dev|prod, destroy_data=true, alarm_email=...
No CDK CLI (Node package) is needed to synthesize; deploying uses it (make deploy).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and its name would shadow the API's app.py.
sys.path[0] = str(ROOT)
# jsii warns loudly about Node 18/20 (Debian's); the warning is about the toolchain, not this app.
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")


def main() -> None:
    from infra.stack import build_app

    outdir = os.environ.get("CDK_OUTDIR") or str(ROOT / "cdk.out")
    assembly = build_app(outdir=outdir).synth()
    for stack in assembly.stacks:
        print(f"synthesized {stack.stack_name}: {Path(assembly.directory) / stack.template_file}")


if __name__ == "__main__":
    main()
