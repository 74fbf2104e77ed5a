"""Kubernetes sandbox stub (SANDBOX, not a cluster): an in-memory API server for what ContainerStacks uses.

Namespaces, NetworkPolicies, Deployments (with the scale subresource), Services, Pods (one per replica,
derived from each Deployment's template as its ReplicaSet would make them) and pods/log, in Kubernetes'
object shapes (devstack.k8s_objects): server-set metadata (uid, resourceVersion, generation,
creationTimestamp), Deployment status and conditions computed from its pods, metav1.Status errors. Nothing
runs: a pod is "Running" after `rollout_seconds`, unless its image is in `missing_images` (then it waits in
ImagePullBackOff and the Deployment reports ProgressDeadlineExceeded). devstack.k8s_http serves it over HTTP.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from devstack.k8s_objects import (
    RESOURCES,
    already_exists,
    check_envelope,
    conflict,
    invalid,
    merge_patch,
    not_found,
    parse_selector,
    selected,
    stamp,
    validate,
)
from devstack.k8s_views import HASH_LABEL, Pod, deployment_status, nano, pod_view, scale_view, template_hash

SANDBOX_TOKEN = "k8s-sandbox-token"  # noqa: S105 - the stub's own fake token, accepted only by it
VERSION = {
    "major": "1",
    "minor": "33",
    "gitVersion": "v1.33.0-containerstacks-sandbox",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2026-01-01T00:00:00Z",
    "goVersion": "go1.24.0",
    "compiler": "gc",
    "platform": "linux/amd64",
}
OWNER_LABEL = "sandbox.containerstacks.io/deployment"  # which Deployment made the pod
NAMESPACED = ("networkpolicies", "deployments", "services", "pods")


@dataclass
class KubeStub:
    """In-memory API server for the tokens in `tokens`. Every method holds one lock."""

    rollout_seconds: float = 0.0
    tokens: set[str] = field(default_factory=lambda: {SANDBOX_TOKEN})
    missing_images: set[str] = field(default_factory=set)
    lock: threading.RLock = field(default_factory=threading.RLock)
    objects: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # (resource, ns, name)
    pods: dict[tuple[str, str], Pod] = field(default_factory=dict)  # (ns, name)
    requests: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    _version: int = 1000
    _next_ip: int = 10

    # ------------------------------------------------------------ controls
    def reset(self) -> None:
        with self.lock:
            self.objects.clear()
            self.pods.clear()
            self.requests.clear()
            self.missing_images.clear()
            self.rollout_seconds = 0.0

    def log_line(self, namespace: str, pod: str, line: str) -> None:
        """What a pod "prints" (the sandbox runs nothing)."""
        with self.lock:
            found = self.pods.get((namespace, pod))
            if found is None:
                raise not_found("pods", pod)
            found.logs.append((time.time(), line))

    # ------------------------------------------------------------ generic verbs
    def create(self, resource: str, namespace: str | None, body: Any) -> dict[str, Any]:
        with self.lock:
            obj = copy.deepcopy(check_envelope(resource, body, namespace))
            validate(resource, obj)
            ns, name = namespace or "", obj["metadata"]["name"]
            if namespace is not None and ("namespaces", "", namespace) not in self.objects:
                raise not_found("namespaces", namespace)
            if (resource, ns, name) in self.objects:
                raise already_exists(resource, name)
            meta = obj["metadata"]
            meta.update(uid=str(uuid.uuid4()), resourceVersion=self._bump(), creationTimestamp=stamp())
            meta.pop("deletionTimestamp", None)
            if namespace is not None:
                meta["namespace"] = namespace
            self._default(resource, obj)
            self.objects[(resource, ns, name)] = obj
            if resource == "deployments":
                self._reconcile(ns, name)
            return self.view(resource, ns, name)

    def get(self, resource: str, namespace: str | None, name: str) -> dict[str, Any]:
        with self.lock:
            return self.view(resource, namespace or "", name)

    def list_of(self, resource: str, namespace: str | None, selector: str | None) -> dict[str, Any]:
        with self.lock:
            wanted = parse_selector(selector)
            if resource == "pods":
                names = [(ns, n) for (ns, n) in self.pods if namespace in (None, ns)]
                items = [pod_view(self.pods[k], self.missing_images) for k in sorted(names)]
            else:
                keys = sorted(k for k in self.objects if k[0] == resource and namespace in (None, k[1]))
                items = [self.view(*k) for k in keys]
            items = [i for i in items if selected(wanted, i["metadata"].get("labels") or {})]
            for item in items:  # a list's items carry no kind/apiVersion
                item.pop("kind", None)
                item.pop("apiVersion", None)
            _, api_version, kind = RESOURCES[resource]
            return {
                "kind": f"{kind}List",
                "apiVersion": api_version,
                "metadata": {"resourceVersion": str(self._version)},
                "items": items,
            }

    def replace(self, resource: str, namespace: str | None, name: str, body: Any) -> dict[str, Any]:
        with self.lock:
            ns = namespace or ""
            current = self._stored(resource, ns, name)
            obj = copy.deepcopy(check_envelope(resource, body, namespace))
            if obj["metadata"]["name"] != name:
                raise invalid(resource, name, [("FieldValueInvalid", "metadata.name", "field is immutable")])
            validate(resource, obj)
            self._check_version(resource, name, current, obj)
            if resource == "services":
                self._check_service_update(name, current, obj)
            return self._store(resource, ns, name, current, obj)

    def patch(self, resource: str, namespace: str, name: str, patch: Any) -> dict[str, Any]:
        with self.lock:
            current = self._stored(resource, namespace, name)
            obj = merge_patch(copy.deepcopy(current), patch)
            check_envelope(resource, obj, namespace)
            validate(resource, obj)
            return self._store(resource, namespace, name, current, obj)

    def delete(self, resource: str, namespace: str | None, name: str) -> dict[str, Any]:
        with self.lock:
            ns = namespace or ""
            current = self._stored(resource, ns, name)
            del self.objects[(resource, ns, name)]
            if resource == "namespaces":
                for key in [k for k in self.objects if k[1] == name]:
                    del self.objects[key]
                for pod_key in [k for k in self.pods if k[0] == name]:
                    del self.pods[pod_key]
            if resource == "deployments":
                for owned in self._pods_of(ns, name):
                    del self.pods[(ns, owned.body["metadata"]["name"])]
            self._bump()
            if resource == "services":  # the Service itself is the answer (core/v1 returns the object)
                return self._view_of(resource, current)
            group = RESOURCES[resource][0]
            uid = current["metadata"]["uid"]
            details = {"name": name, **({"group": group} if group else {}), "kind": resource, "uid": uid}
            return {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "details": details,
            }

    # ------------------------------------------------------------ scale subresource and logs
    def get_scale(self, namespace: str, name: str) -> dict[str, Any]:
        with self.lock:
            d = self.view("deployments", namespace, name)
            return scale_view(d)

    def replace_scale(self, namespace: str, name: str, body: Any) -> dict[str, Any]:
        with self.lock:
            current = self._stored("deployments", namespace, name)
            obj = check_envelope("scale", body, namespace)
            validate("scale", obj)
            self._check_version("scale", name, current, obj)
            updated = copy.deepcopy(current)
            updated["spec"]["replicas"] = obj["spec"]["replicas"]
            self._store("deployments", namespace, name, current, updated)
            return scale_view(self.view("deployments", namespace, name))

    def pod_log(
        self, namespace: str, name: str, tail: int | None, since: int | None, timestamps: bool
    ) -> str:
        with self.lock:
            if ("namespaces", "", namespace) not in self.objects or (namespace, name) not in self.pods:
                raise not_found("pods", name)
            pod = self.pods[(namespace, name)]
            lines = [(t, m) for t, m in pod.logs if since is None or t >= time.time() - since]
            if tail is not None:
                lines = lines[-tail:] if tail > 0 else []
            return "".join((f"{nano(t)} {m}\n" if timestamps else f"{m}\n") for t, m in lines)

    # ------------------------------------------------------------ views
    def view(self, resource: str, ns: str, name: str) -> dict[str, Any]:
        if resource == "pods":
            pod = self.pods.get((ns, name))
            if pod is None:
                raise not_found("pods", name)
            return pod_view(pod, self.missing_images)
        return self._view_of(resource, self._stored(resource, ns, name))

    def _view_of(self, resource: str, stored: dict[str, Any]) -> dict[str, Any]:
        obj = copy.deepcopy(stored)
        if resource == "deployments":
            obj["status"] = deployment_status(
                obj, self._pods_of(obj["metadata"]["namespace"], obj["metadata"]["name"]), self.missing_images
            )
        return obj

    # ------------------------------------------------------------ internals
    def _stored(self, resource: str, ns: str, name: str) -> dict[str, Any]:
        found = self.objects.get((resource if resource != "scale" else "deployments", ns, name))
        if found is None:
            raise not_found(resource, name)
        return found

    def _bump(self) -> str:
        self._version += 1
        return str(self._version)

    def _check_version(self, resource: str, name: str, current: dict[str, Any], obj: dict[str, Any]) -> None:
        given = obj["metadata"].get("resourceVersion")
        if resource == "services" and not given:
            raise invalid(
                resource,
                name,
                [
                    (
                        "FieldValueInvalid",
                        "metadata.resourceVersion",
                        'Invalid value: "": must be specified for an update',
                    )
                ],
            )
        if given and given != current["metadata"]["resourceVersion"]:
            raise conflict(resource if resource != "scale" else "deployments", name)

    @staticmethod
    def _check_service_update(name: str, current: dict[str, Any], obj: dict[str, Any]) -> None:
        if obj["spec"].get("clusterIP") != current["spec"]["clusterIP"]:
            value = obj["spec"].get("clusterIP") or ""
            raise invalid(
                "services",
                name,
                [("FieldValueInvalid", "spec.clusterIP", f'Invalid value: "{value}": field is immutable')],
            )

    def _store(
        self, resource: str, ns: str, name: str, current: dict[str, Any], obj: dict[str, Any]
    ) -> dict[str, Any]:
        meta = obj["metadata"]
        for key in ("uid", "creationTimestamp", "generation"):
            if key in current["metadata"]:
                meta[key] = current["metadata"][key]
        meta["namespace"] = current["metadata"].get("namespace")
        if meta["namespace"] is None:
            meta.pop("namespace")
        obj.pop("status", None)
        self._default(resource, obj)
        if resource == "deployments" and obj["spec"] != current["spec"]:
            meta["generation"] = current["metadata"]["generation"] + 1
        meta["resourceVersion"] = self._bump()
        self.objects[(resource, ns, name)] = obj
        if resource == "deployments":
            self._reconcile(ns, name)
        return self.view(resource, ns, name)

    def _default(self, resource: str, obj: dict[str, Any]) -> None:
        """What the API server fills in."""
        meta, spec = obj["metadata"], obj.setdefault("spec", {})
        if resource == "namespaces":
            spec.setdefault("finalizers", ["kubernetes"])
            obj["status"] = {"phase": "Active"}
        elif resource == "deployments":
            meta.setdefault("generation", 1)
            spec.setdefault("replicas", 1)
            spec.setdefault("revisionHistoryLimit", 10)
            spec.setdefault("progressDeadlineSeconds", 600)
            spec.setdefault(
                "strategy",
                {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            )
        elif resource == "services":
            spec.setdefault("type", "ClusterIP")
            spec.setdefault("sessionAffinity", "None")
            if not spec.get("clusterIP"):
                self._next_ip += 1
                spec["clusterIP"] = f"10.96.{self._next_ip // 250}.{self._next_ip % 250 + 1}"
            spec["clusterIPs"] = [spec["clusterIP"]]
            spec.setdefault("ipFamilies", ["IPv4"])
            for port in spec["ports"]:
                port.setdefault("protocol", "TCP")
                port.setdefault("targetPort", port["port"])
            obj["status"] = {"loadBalancer": {}}
        elif resource == "networkpolicies":
            spec.setdefault("policyTypes", ["Ingress"])

    def _pods_of(self, ns: str, deployment: str) -> list[Pod]:
        return [
            p
            for (n, _), p in self.pods.items()
            if n == ns and p.body["metadata"]["labels"].get(OWNER_LABEL) == deployment
        ]

    def _reconcile(self, ns: str, name: str) -> None:
        """The Deployment and ReplicaSet controllers at once: pods of an old template go, new ones come."""
        d = self.objects[("deployments", ns, name)]
        current_hash = template_hash(d)
        keep = [
            p for p in self._pods_of(ns, name) if p.body["metadata"]["labels"][HASH_LABEL] == current_hash
        ]
        for pod in self._pods_of(ns, name):
            if pod not in keep[: d["spec"]["replicas"]]:
                del self.pods[(ns, pod.body["metadata"]["name"])]
        for _ in range(d["spec"]["replicas"] - len(keep[: d["spec"]["replicas"]])):
            self._new_pod(ns, d, current_hash)

    def _new_pod(self, ns: str, d: dict[str, Any], template_hash: str) -> None:
        template = copy.deepcopy(d["spec"]["template"])
        name = f"{d['metadata']['name']}-{template_hash}-{secrets.token_hex(3)[:5]}"
        labels = {
            **(template.get("metadata") or {}).get("labels", {}),
            HASH_LABEL: template_hash,
            OWNER_LABEL: d["metadata"]["name"],
        }
        self._next_ip += 1
        body: dict[str, Any] = {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {
                "name": name,
                "generateName": f"{d['metadata']['name']}-{template_hash}-",
                "namespace": ns,
                "uid": str(uuid.uuid4()),
                "resourceVersion": self._bump(),
                "creationTimestamp": stamp(),
                "labels": labels,
                "annotations": {
                    **(template.get("metadata") or {}).get("annotations", {}),
                    "sandbox.containerstacks.io/pod-ip": f"10.244.0.{self._next_ip % 250 + 2}",
                },
                "ownerReferences": [
                    {
                        "apiVersion": "apps/v1",
                        "kind": "ReplicaSet",
                        "name": f"{d['metadata']['name']}-{template_hash}",
                        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, d["metadata"]["uid"] + template_hash)),
                        "controller": True,
                        "blockOwnerDeletion": True,
                    }
                ],
            },
            "spec": {**template.get("spec", {}), "nodeName": "sandbox-node-1", "restartPolicy": "Always"},
        }
        image = body["spec"]["containers"][0]["image"]
        pod = Pod(body, time.monotonic() + self.rollout_seconds, [])
        if image not in self.missing_images:
            pod.logs.append(
                (time.time(), f"sandbox: container {image} started (nothing runs in the sandbox)")
            )
        self.pods[(ns, name)] = pod
