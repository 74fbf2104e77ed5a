"""Template documents: the JSON shape of the repository's template files and of an operator's changes,
and the Template each becomes. A document is checked here (ValidationFailed naming the field), whoever
wrote it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from chalicelib.domain.containers.entities import (
    MAX_NAME_LENGTH,
    MAX_PORTS,
    MAX_VOLUMES,
    NAME_PATTERN,
    Resources,
    check_resources,
    check_volumes,
)
from chalicelib.domain.hosts.engine import NetProtocol, PortBinding, VolumeMount
from chalicelib.domain.marketplace.entities import (
    CATEGORY_PATTERN,
    ICON_PATTERN,
    MAX_ENV_FIELDS,
    SLUG_PATTERN,
    EnvField,
    Origin,
    Template,
    TemplateSource,
)
from chalicelib.domain.shared import quantities
from chalicelib.domain.shared.errors import ValidationFailed

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
IMAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}$")
TEXT_LIMITS = {"name": 100, "description": 2000, "version": 32}
# The fields an operator may set (slug is the key; `build` belongs to the repository's files).
FIELDS = (
    "name",
    "description",
    "icon",
    "category",
    "version",
    "image",
    "source",
    "environment",
    "ports",
    "volumes",
    "resources",
    "enabled",
)


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details={"field": field})


def _text(doc: Mapping[str, Any], field: str, *, required: bool = True, default: str = "") -> str:
    value = doc.get(field, None if required else default)
    if not isinstance(value, str) or (required and not value.strip()):
        raise _bad(field, "is required and must be text")
    limit = TEXT_LIMITS.get(field, 200)
    if len(value) > limit:
        raise _bad(field, f"must be at most {limit} characters")
    return value


def _matching(doc: Mapping[str, Any], field: str, pattern: str | re.Pattern[str]) -> str:
    value = doc.get(field)
    if not isinstance(value, str) or not re.match(pattern, value):
        raise _bad(field, "does not have the expected format")
    return value


def _env_field(name: Any, raw: Any) -> EnvField:
    where = f"environment.{name}"
    if not isinstance(name, str) or not ENV_NAME.match(name) or len(name) > 256:
        raise _bad(where, "must be an environment variable name such as APP_TITLE")
    if not isinstance(raw, Mapping):
        raise _bad(where, "must describe the variable (label, default, required, secret)")
    default = raw.get("default")
    if default is not None and not isinstance(default, str):
        raise _bad(f"{where}.default", "must be text")
    return EnvField(
        name=name,
        label=str(raw.get("label") or name)[:100],
        description=str(raw.get("description") or "")[:500],
        default=default,
        required=bool(raw.get("required", False)),
        secret=bool(raw.get("secret", False)),
    )


def _port(raw: Any, i: int) -> PortBinding:
    if (
        not isinstance(raw, Mapping)
        or not isinstance(raw.get("container"), int)
        or not 1 <= raw["container"] <= 65535
    ):
        raise _bad(f"ports.{i}.container", "must be a port number")
    protocol = raw.get("protocol", "tcp")
    if protocol not in ("tcp", "udp"):
        raise _bad(f"ports.{i}.protocol", "must be tcp or udp")
    return PortBinding(container=raw["container"], host=None, protocol=cast(NetProtocol, protocol))


def _volume(raw: Any, i: int) -> VolumeMount:
    if (
        not isinstance(raw, Mapping)
        or not isinstance(raw.get("name"), str)
        or not re.match(NAME_PATTERN, raw["name"])
    ):
        raise _bad(f"volumes.{i}.name", "must be a volume name such as data")
    path = raw.get("path")
    if not isinstance(path, str) or not path.startswith("/") or path.endswith("/") or len(path) > 255:
        raise _bad(f"volumes.{i}.path", "must be an absolute path")
    return VolumeMount(
        name=raw["name"][:MAX_NAME_LENGTH], path=path, read_only=bool(raw.get("read_only", False))
    )


def _resources(raw: Any) -> Resources:
    if not isinstance(raw, Mapping):
        raise _bad("resources", "must say cpu and memory")
    try:
        resources = Resources(
            cpu_millis=quantities.parse_cpu_millis(raw.get("cpu")),
            memory_bytes=quantities.parse_bytes(raw.get("memory")),
            storage_bytes=quantities.parse_bytes(raw["storage"]) if raw.get("storage") is not None else None,
        )
    except ValueError as exc:
        raise _bad("resources", str(exc)) from exc
    check_resources(resources)
    return resources


def _list(doc: Mapping[str, Any], field: str, limit: int) -> list[Any]:
    value = doc.get(field, [])
    if not isinstance(value, list) or len(value) > limit:
        raise _bad(field, f"must be a list of at most {limit}")
    return value


def parse_template(
    doc: Mapping[str, Any],
    *,
    origin: Origin = "repository",
    customized: bool = False,
    stamp: int | None = None,
) -> Template:
    """The Template a document describes. Raises ValidationFailed naming the first bad field."""
    source = doc.get("source", "local")
    if source not in ("local", "registry"):
        raise _bad("source", "must be local or registry")
    form = doc.get("environment", {})
    if not isinstance(form, Mapping) or len(form) > MAX_ENV_FIELDS:
        raise _bad("environment", f"must map at most {MAX_ENV_FIELDS} variable names to their fields")
    env = tuple(_env_field(name, raw) for name, raw in form.items())
    volumes = tuple(_volume(raw, i) for i, raw in enumerate(_list(doc, "volumes", MAX_VOLUMES)))
    check_volumes(volumes)
    build = doc.get("build")
    return Template(
        slug=_matching(doc, "slug", SLUG_PATTERN),
        name=_text(doc, "name"),
        description=_text(doc, "description", required=False),
        icon=_matching({"icon": "box", **doc}, "icon", ICON_PATTERN),
        category=_matching(doc, "category", CATEGORY_PATTERN),
        version=_text(doc, "version"),
        image=_matching(doc, "image", IMAGE),
        source=cast(TemplateSource, source),
        environment=env,
        ports=tuple(_port(raw, i) for i, raw in enumerate(_list(doc, "ports", MAX_PORTS))),
        volumes=volumes,
        resources=_resources(doc.get("resources")),
        enabled=bool(doc.get("enabled", True)),
        origin=origin,
        customized=customized,
        build=build if isinstance(build, str) and build else None,
        version_stamp=stamp,
    )


def document_of(t: Template) -> dict[str, Any]:
    """The document of a template (the fields an operator may set, as the files write them)."""
    r = t.resources
    return {
        "name": t.name,
        "description": t.description,
        "icon": t.icon,
        "category": t.category,
        "version": t.version,
        "image": t.image,
        "source": t.source,
        "environment": {
            f.name: {
                "label": f.label,
                "description": f.description,
                "default": f.default,
                "required": f.required,
                "secret": f.secret,
            }
            for f in t.environment
        },
        "ports": [{"container": p.container, "protocol": p.protocol} for p in t.ports],
        "volumes": [{"name": v.name, "path": v.path, "read_only": v.read_only} for v in t.volumes],
        "resources": {
            "cpu": quantities.format_cpu(r.cpu_millis),
            "memory": quantities.format_bytes(r.memory_bytes),
            "storage": quantities.format_bytes(r.storage_bytes) if r.storage_bytes is not None else None,
        },
        "enabled": t.enabled,
    }
