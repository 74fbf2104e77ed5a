"""Reading IAM out of a synthesized template: statements per role, and a small evaluator for the
dynamodb:LeadingKeys conditions the stack uses (StringLike with * and ?, policy variables substituted)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tests.infra.conftest import Synth


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_id(synth: Synth, prefix: str) -> str:
    found = [rid for rid in synth.of_type("AWS::IAM::Role") if rid.startswith(prefix)]
    assert len(found) == 1, found
    return found[0]


def statements(synth: Synth) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """(role logical ids, statement) for every identity-policy statement of the template."""
    for resource in synth.resources.values():
        if resource["Type"] == "AWS::IAM::Policy":
            roles = [r["Ref"] for r in resource["Properties"].get("Roles", [])]
            for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
                yield roles, statement
    for rid, resource in synth.of_type("AWS::IAM::Role").items():
        for policy in resource["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                yield [rid], statement


def role_statements(synth: Synth, rid: str) -> list[dict[str, Any]]:
    return [statement for roles, statement in statements(synth) if rid in roles]


def references(value: Any) -> set[str]:
    """Logical ids a (possibly intrinsic) value refers to."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value:
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            found.add(value["Fn::GetAtt"][0])
        for inner in value.values():
            found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def _pattern(text: str, variables: dict[str, str]) -> re.Pattern[str]:
    for name, value in variables.items():
        text = text.replace("${" + name + "}", value)
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text) + r"\Z")


def allows_keys(statement: dict[str, Any], keys: list[str], variables: dict[str, str]) -> bool:
    """Whether `statement`'s LeadingKeys condition lets a request on these partition keys through."""
    condition = statement.get("Condition", {}).get("ForAllValues:StringLike", {})
    patterns = as_list(condition.get("dynamodb:LeadingKeys", ["*"]))
    compiled = [_pattern(p, variables) for p in patterns]
    return all(any(c.match(key) for c in compiled) for key in keys)


def dynamodb_item_statements(synth: Synth, rid: str) -> list[dict[str, Any]]:
    """The role's statements that allow DynamoDB actions (Deny statements are read by their own tests)."""
    return [
        s
        for s in role_statements(synth, rid)
        if s.get("Effect", "Allow") == "Allow"
        and any(a.startswith("dynamodb:") for a in as_list(s["Action"]))
    ]
