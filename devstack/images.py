"""Images built locally FROM scratch with Debian's static busybox (nothing is ever pulled)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

BUSYBOX = Path("/bin/busybox")
SAMPLE_IMAGE = "containerstacks/hello:local"
PAGE = "hello from containerstacks"
MARKETPLACE_IMAGES = Path(__file__).resolve().parent.parent / "chalicelib" / "marketplace" / "images"


def dockerfile(page: str, stdout_line: str, stderr_line: str) -> str:
    """A busybox httpd serving `page` on port 80, logging one line to stdout and one to stderr.

    The shell stays PID 1 and exits on SIGTERM: httpd as PID 1 would ignore it, making every stop wait 10 s.
    """
    return f"""\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www && echo '{page}' > /www/index.html
CMD ["/bin/sh", "-c", "echo '{stdout_line}'; echo '{stderr_line}' >&2; trap 'exit 0' TERM; \\
httpd -f -v -p 80 -h /www & wait"]
"""


def build_web_image(
    url: str, tag: str, page: str = PAGE, stdout_line: str = "starting", stderr_line: str = "warming up"
) -> str:
    """Build (or reuse) the busybox web image under `tag` on the engine at `url`; returns the tag."""
    return build_busybox_image(url, tag, dockerfile(page, stdout_line, stderr_line))


def build_busybox_image(url: str, tag: str, dockerfile_text: str) -> str:
    """Build (or reuse) an image `FROM scratch` with Debian's static busybox as /bin/busybox and the given
    Dockerfile, under `tag` on the engine at `url` (no network, nothing pulled); returns the tag."""
    return _build(url, tag, lambda context: Path(context, "Dockerfile").write_text(dockerfile_text))


def build_context_image(url: str, tag: str, directory: Path) -> str:
    """Build (or reuse) the image of a build context directory (its Dockerfile and files) with busybox added
    as `busybox` beside them, under `tag` (no network, nothing pulled); returns the tag."""
    return _build(url, tag, lambda context: shutil.copytree(directory, context, dirs_exist_ok=True))


def marketplace_images() -> list[tuple[str, Path]]:
    """(image, build context) of every marketplace template the local stack builds itself."""
    from chalicelib.store.marketplace.repository import repository_templates

    return [
        (str(doc["image"]), MARKETPLACE_IMAGES / str(doc["build"]))
        for doc in repository_templates().values()
        if doc.get("source") == "local" and doc.get("build")
    ]


def build_marketplace_images(url: str) -> list[str]:
    """Build (or reuse) the images of the marketplace's offline templates; returns their tags."""
    return [build_context_image(url, image, context) for image, context in marketplace_images()]


def _build(url: str, tag: str, prepare: Callable[[str], object]) -> str:
    import docker
    import docker.errors

    client = docker.DockerClient(base_url=url, timeout=120)
    try:
        try:
            client.images.get(tag)
            return tag
        except docker.errors.ImageNotFound:
            pass
        with tempfile.TemporaryDirectory(prefix="cs-image-") as context:
            prepare(context)
            shutil.copy2(BUSYBOX, Path(context, "busybox"))
            client.images.build(path=context, tag=tag, rm=True, forcerm=True, pull=False, network_mode="none")
        return tag
    finally:
        client.close()


# Backups: the helper image that archives and restores volumes (CS_BACKUP_HELPER_IMAGE); its shell and find
# empty a volume before a restore, and the engine's archive API reads and writes the files.
BACKUP_HELPER_IMAGE = "containerstacks/backup-helper:local"
BACKUP_HELPER_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["true"]
"""


def build_backup_helper(url: str, tag: str = BACKUP_HELPER_IMAGE) -> str:
    """Build (or reuse) the backup helper image on the engine at `url`; returns the tag."""
    return build_busybox_image(url, tag, BACKUP_HELPER_DOCKERFILE)
