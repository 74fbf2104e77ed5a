"""Views of the Kubernetes sandbox's objects as the API server answers them: Pod and Deployment status
(computed from the pods at read time), the Scale subresource, timestamps (devstack.k8s_stub keeps the state).
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from devstack.k8s_objects import stamp

HASH_LABEL = "pod-template-hash"


@dataclass
class Pod:
    body: dict[str, Any]
    ready_at: float  # monotonic
    logs: list[tuple[float, str]]  # (wall clock, line)


def phase(pod: Pod, missing: set[str]) -> str:
    """Pending while its image cannot be pulled or before it is ready; then Running (nothing runs)."""
    if image_of(pod) in missing or time.monotonic() < pod.ready_at:
        return "Pending"
    return "Running"


def image_of(pod: Pod) -> str:
    return str(pod.body["spec"]["containers"][0]["image"])


def deployment_status(d: dict[str, Any], pods: list[Pod], missing: set[str]) -> dict[str, Any]:
    """status of a Deployment from its pods (its ReplicaSets' view), with Available and Progressing."""
    name = d["metadata"]["name"]
    wanted = d["spec"].get("replicas", 1)
    current_hash = template_hash(d)
    updated = [p for p in pods if p.body["metadata"]["labels"].get(HASH_LABEL) == current_hash]
    ready = [p for p in pods if phase(p, missing) == "Running"]
    stuck = [p for p in updated if image_of(p) in missing]
    now = stamp()
    available = len(ready) >= wanted
    conditions = [
        condition(
            "Available",
            available,
            "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
            "Deployment has minimum availability."
            if available
            else "Deployment does not have minimum availability.",
            now,
        ),
    ]
    if stuck:
        image = image_of(stuck[0])
        conditions.append(
            condition(
                "Progressing",
                False,
                "ProgressDeadlineExceeded",
                f'ReplicaSet "{name}-{current_hash}" has timed out progressing: '
                f"image {image} cannot be pulled.",
                now,
            )
        )
    else:
        done = len(updated) == wanted and len(ready) == wanted and len(pods) == wanted
        conditions.append(
            condition(
                "Progressing",
                True,
                "NewReplicaSetAvailable" if done else "ReplicaSetUpdated",
                f'ReplicaSet "{name}-{current_hash}" '
                + ("has successfully progressed." if done else "is progressing."),
                now,
            )
        )
    status: dict[str, Any] = {
        "observedGeneration": d["metadata"]["generation"],
        "replicas": len(pods),
        "updatedReplicas": len(updated),
        "readyReplicas": len(ready),
        "availableReplicas": len(ready),
        "conditions": conditions,
    }
    if len(pods) > len(ready):
        status["unavailableReplicas"] = len(pods) - len(ready)
    return {k: v for k, v in status.items() if v != 0 or k == "observedGeneration"}


def scale_view(d: dict[str, Any]) -> dict[str, Any]:
    meta = d["metadata"]
    selector = ",".join(f"{k}={v}" for k, v in d["spec"]["selector"]["matchLabels"].items())
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
        },
        "spec": {"replicas": d["spec"].get("replicas", 1)},
        "status": {"replicas": d.get("status", {}).get("replicas", 0), "selector": selector},
    }


def pod_view(pod: Pod, missing: set[str]) -> dict[str, Any]:
    obj = copy.deepcopy(pod.body)
    now_phase = phase(pod, missing)
    c = obj["spec"]["containers"][0]
    running = now_phase == "Running"
    if running:
        state: dict[str, Any] = {
            "running": {"startedAt": stamp(time.time() - (time.monotonic() - pod.ready_at))}
        }
    elif image_of(pod) in missing:
        state = {
            "waiting": {"reason": "ImagePullBackOff", "message": f'Back-off pulling image "{c["image"]}"'}
        }
    else:
        state = {"waiting": {"reason": "ContainerCreating"}}
    created = obj["metadata"]["creationTimestamp"]
    obj["status"] = {
        "phase": now_phase,
        "conditions": [
            {
                "type": t,
                "status": "True" if running or t == "PodScheduled" else "False",
                "lastTransitionTime": created,
            }
            for t in ("PodScheduled", "Initialized", "ContainersReady", "Ready")
        ],
        "hostIP": "192.0.2.10",  # documentation range: never routed
        "podIP": obj["metadata"]["annotations"]["sandbox.containerstacks.io/pod-ip"],
        "startTime": created,
        "qosClass": "Guaranteed",
        "containerStatuses": [
            {
                "name": c["name"],
                "image": c["image"],
                "imageID": "" if not running else f"sandbox://{c['image']}",
                "ready": running,
                "started": running,
                "restartCount": 0,
                "state": state,
                **(
                    {"containerID": f"containerd://{obj['metadata']['uid'].replace('-', '')}"}
                    if running
                    else {}
                ),
            }
        ],
    }
    return obj


def template_hash(d: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(d["spec"]["template"], sort_keys=True).encode()).hexdigest()
    return digest[:10]


def condition(kind: str, ok: bool, reason: str, message: str, now: str) -> dict[str, Any]:
    return {
        "type": kind,
        "status": "True" if ok else "False",
        "lastUpdateTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def nano(wall: float) -> str:
    nanos = int((wall % 1) * 1e9)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(wall)) + f".{nanos:09d}Z"
