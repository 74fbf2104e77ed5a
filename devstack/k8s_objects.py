"""Kubernetes object shapes for the sandbox API server (devstack.k8s_stub): Status errors, metadata, the
validation the real API server applies to what ContainerStacks sends, and label selectors.

Shapes follow the Kubernetes API reference (core/v1, apps/v1, networking.k8s.io/v1, autoscaling/v1);
tests/contract/clusters deserializes every answer with the official client's models.
"""

from __future__ import annotations

import re
import time
from typing import Any

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
# resource plural -> (group, apiVersion, kind)
RESOURCES: dict[str, tuple[str, str, str]] = {
    "namespaces": ("", "v1", "Namespace"),
    "networkpolicies": ("networking.k8s.io", "networking.k8s.io/v1", "NetworkPolicy"),
    "deployments": ("apps", "apps/v1", "Deployment"),
    "services": ("", "v1", "Service"),
    "pods": ("", "v1", "Pod"),
    "scale": ("autoscaling", "autoscaling/v1", "Scale"),
}


class KubeError(Exception):
    """An answer as a metav1.Status (kind Status, status Failure, reason, code, details)."""

    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": message,
            "reason": reason,
            "code": code,
        }
        if details is not None:
            self.body["details"] = details


def qualified(resource: str) -> str:
    group = RESOURCES[resource][0]
    return f"{resource}.{group}" if group else resource


def _details(resource: str, name: str) -> dict[str, Any]:
    group = RESOURCES[resource][0]
    return {"name": name, **({"group": group} if group else {}), "kind": resource}


def not_found(resource: str, name: str) -> KubeError:
    return KubeError(404, "NotFound", f'{qualified(resource)} "{name}" not found', _details(resource, name))


def already_exists(resource: str, name: str) -> KubeError:
    message = f'{qualified(resource)} "{name}" already exists'
    return KubeError(409, "AlreadyExists", message, _details(resource, name))


def conflict(resource: str, name: str) -> KubeError:
    message = (
        f'Operation cannot be fulfilled on {qualified(resource)} "{name}": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )
    return KubeError(409, "Conflict", message, _details(resource, name))


def invalid(resource: str, name: str, causes: list[tuple[str, str, str]]) -> KubeError:
    """422 Invalid with (reason, field, message) causes, as the API server's field validation answers."""
    kind = RESOURCES[resource][2]
    text = ", ".join(f"{field}: {message}" for _, field, message in causes)
    details = {
        **_details(resource, name),
        "kind": kind,
        "causes": [{"reason": r, "message": m, "field": f} for r, f, m in causes],
    }
    return KubeError(422, "Invalid", f'{kind} "{name}" is invalid: {text}', details)


def bad_request(message: str) -> KubeError:
    return KubeError(400, "BadRequest", message)


def unauthorized() -> KubeError:
    return KubeError(401, "Unauthorized", "Unauthorized")


def stamp(wall: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if wall is None else wall))


def check_envelope(resource: str, body: Any, namespace: str | None) -> dict[str, Any]:
    """The object's apiVersion, kind and namespace must be the endpoint's; metadata.name is required."""
    if not isinstance(body, dict):
        raise bad_request("the request body is not a JSON object")
    _, api_version, kind = RESOURCES[resource]
    if body.get("apiVersion") != api_version or body.get("kind") != kind:
        raise bad_request(
            f"the API version in the data ({body.get('apiVersion')}) and kind ({body.get('kind')})"
            f" do not match the expected {api_version}, {kind}"
        )
    meta = body.get("metadata")
    if not isinstance(meta, dict):
        raise invalid(
            resource, "", [("FieldValueRequired", "metadata.name", "Required value: name is required")]
        )
    given = meta.get("namespace")
    if namespace is not None and given not in (None, namespace):
        raise bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    name = meta.get("name")
    pattern = DNS_LABEL if resource in ("namespaces", "services") else DNS_SUBDOMAIN
    if not isinstance(name, str) or not name:
        raise invalid(
            resource, "", [("FieldValueRequired", "metadata.name", "Required value: name is required")]
        )
    if not pattern.match(name):
        raise invalid(resource, name, [("FieldValueInvalid", "metadata.name", f'Invalid value: "{name}"')])
    labels = meta.get("labels") or {}
    if not isinstance(labels, dict) or not all(isinstance(v, str) and len(v) <= 63 for v in labels.values()):
        raise invalid(resource, name, [("FieldValueInvalid", "metadata.labels", "Invalid value")])
    return body


def validate(resource: str, body: dict[str, Any]) -> None:
    """The field validation of each kind the sandbox serves (what the API server refuses with 422)."""
    name = body["metadata"]["name"]
    spec = body.get("spec")
    causes: list[tuple[str, str, str]] = []
    if resource == "deployments":
        causes = _deployment_causes(spec)
    elif resource == "services":
        causes = _service_causes(spec)
    elif resource == "networkpolicies":
        if not isinstance(spec, dict) or not isinstance(spec.get("podSelector"), dict):
            causes = [("FieldValueRequired", "spec.podSelector", "Required value")]
    elif resource == "scale":
        replicas = spec.get("replicas") if isinstance(spec, dict) else None
        if not isinstance(replicas, int) or replicas < 0:
            causes = [
                ("FieldValueInvalid", "spec.replicas", "Invalid value: must be greater than or equal to 0")
            ]
    if causes:
        raise invalid(resource, name, causes)


def _deployment_causes(spec: Any) -> list[tuple[str, str, str]]:
    if not isinstance(spec, dict):
        return [("FieldValueRequired", "spec", "Required value")]
    causes: list[tuple[str, str, str]] = []
    replicas = spec.get("replicas", 1)
    if not isinstance(replicas, int) or replicas < 0:
        causes.append(
            ("FieldValueInvalid", "spec.replicas", "Invalid value: must be greater than or equal to 0")
        )
    selector = (spec.get("selector") or {}).get("matchLabels")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    if not selector:
        causes.append(("FieldValueRequired", "spec.selector", "Required value"))
    elif not matches(selector, labels):
        causes.append(
            (
                "FieldValueInvalid",
                "spec.template.metadata.labels",
                "Invalid value: `selector` does not match template `labels`",
            )
        )
    containers = (template.get("spec") or {}).get("containers")
    if not isinstance(containers, list) or not containers:
        causes.append(("FieldValueRequired", "spec.template.spec.containers", "Required value"))
        return causes
    for i, c in enumerate(containers):
        at = f"spec.template.spec.containers[{i}]"
        if not isinstance(c, dict) or not c.get("name") or not DNS_LABEL.match(str(c.get("name"))):
            causes.append(("FieldValueRequired", f"{at}.name", "Required value"))
            continue
        if not c.get("image"):
            causes.append(("FieldValueRequired", f"{at}.image", "Required value"))
        for kind in ("requests", "limits"):
            for key, value in ((c.get("resources") or {}).get(kind) or {}).items():
                if key not in ("cpu", "memory") or not QUANTITY.match(str(value)):
                    causes.append(
                        ("FieldValueInvalid", f"{at}.resources.{kind}[{key}]", f'Invalid value: "{value}"')
                    )
        for j, port in enumerate(c.get("ports") or []):
            number = port.get("containerPort")
            if not isinstance(number, int) or not 0 < number < 65536:
                causes.append(("FieldValueInvalid", f"{at}.ports[{j}].containerPort", "Invalid value"))
            if port.get("protocol", "TCP") not in ("TCP", "UDP", "SCTP"):
                causes.append(("FieldValueNotSupported", f"{at}.ports[{j}].protocol", "Unsupported value"))
    return causes


def _service_causes(spec: Any) -> list[tuple[str, str, str]]:
    if not isinstance(spec, dict):
        return [("FieldValueRequired", "spec", "Required value")]
    ports = spec.get("ports")
    if not isinstance(ports, list) or not ports:
        return [("FieldValueRequired", "spec.ports", "Required value")]
    causes: list[tuple[str, str, str]] = []
    if spec.get("type", "ClusterIP") not in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
        causes.append(("FieldValueNotSupported", "spec.type", "Unsupported value"))
    for j, port in enumerate(ports):
        number = port.get("port") if isinstance(port, dict) else None
        if not isinstance(number, int) or not 0 < number < 65536:
            causes.append(("FieldValueInvalid", f"spec.ports[{j}].port", "Invalid value"))
        if len(ports) > 1 and not (isinstance(port, dict) and port.get("name")):
            causes.append(("FieldValueRequired", f"spec.ports[{j}].name", "Required value"))
    return causes


def parse_selector(text: str | None) -> list[tuple[str, str, str | None]]:
    """labelSelector as (key, op, value): `k=v`, `k==v`, `k!=v`, `k` (exists); 400 for anything else."""
    found: list[tuple[str, str, str | None]] = []
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        match = re.fullmatch(r"([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)", part)
        if match:
            found.append((match[1], "!=" if match[2] == "!=" else "=", match[3]))
        elif re.fullmatch(r"[A-Za-z0-9./_-]+", part):
            found.append((part, "exists", None))
        else:
            raise bad_request(f"unable to parse requirement: {part!r}")
    return found


def selected(requirements: list[tuple[str, str, str | None]], labels: dict[str, str]) -> bool:
    for key, op, value in requirements:
        if op == "exists" and key not in labels:
            return False
        if op == "=" and labels.get(key) != value:
            return False
        if op == "!=" and labels.get(key) == value:
            return False
    return True


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (the strategic merge of the maps this sandbox is patched with)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
