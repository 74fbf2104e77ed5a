"""In-memory fakes of the shared ports: workflows and the secret box."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping


class FakeWorkflows:
    def __init__(self) -> None:
        self.started: dict[str, tuple[str, Mapping[str, object]]] = {}

    def start(self, name: str, execution_name: str, payload: Mapping[str, object]) -> str:
        self.started.setdefault(execution_name, (name, payload))
        return f"arn:fake:{name}:{execution_name}"


class FakeSecretBox:
    """Reversible, context-bound 'encryption' (tests only)."""

    def encrypt(self, plaintext: str, context: dict[str, str] | None = None) -> str:
        return base64.b64encode(json.dumps([plaintext, context or {}]).encode()).decode()

    def decrypt(self, ciphertext: str, context: dict[str, str] | None = None) -> str:
        plaintext, stored = json.loads(base64.b64decode(ciphertext))
        if stored != (context or {}):
            raise ValueError("wrong encryption context")
        return str(plaintext)
