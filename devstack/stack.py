"""LocalStack: the whole local stack (moto, SMTP, schedules, snapshots, API) started and stopped as one."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from devstack import REPO_ROOT, environment, images, lambda_dispatch, seed
from devstack.api_server import ApiServer
from devstack.aws import local_client
from devstack.bootstrap import Bootstrapped, bootstrap
from devstack.journal import DynamoWriteRecorder, Journal, read_entries, replay
from devstack.k8s_http import KubeServer
from devstack.k8s_stub import KubeStub
from devstack.linode_http import LinodeServer
from devstack.linode_stub import LinodeStub
from devstack.moto_guard import DYNAMODB_LOCK, set_observer
from devstack.moto_server import MotoServer
from devstack.paypal_http import PayPalServer, post
from devstack.periodic import Every, schedule_runners
from devstack.smtp import MailServer
from devstack.snapshot import read_snapshot, restore_data, restore_keys, save_snapshot

SNAPSHOT_FILE = "snapshot.json"
LINODE_FILE = "linode-sandbox.json"


@dataclass(frozen=True)
class StackConfig:
    """Where the stack keeps its data and which ports it uses (0: any free port)."""

    data_dir: Path
    port: int = 8000
    moto_port: int = 0
    smtp_port: int = 0
    admin_email: str | None = None
    admin_password: str | None = None
    # The journal makes every DynamoDB write durable at once; the snapshot only compacts it (and saves S3
    # objects), and dumping every table stalls requests for a moment, so it runs rarely.
    snapshot_seconds: float = 300.0
    # How long a new Linode takes in the sandbox from create to running (provisioning, then booting).
    linode_boot_seconds: float = 5.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> StackConfig:
        """PORT, CS_DATA_DIR, MOTO_PORT, SMTP_PORT, CS_ADMIN_EMAIL, CS_ADMIN_PASSWORD,
        CS_LINODE_STUB_BOOT_SECONDS."""
        return cls(
            data_dir=Path(env.get("CS_DATA_DIR") or REPO_ROOT / ".devstack").resolve(),
            port=int(env.get("PORT") or 8000),
            moto_port=int(env.get("MOTO_PORT") or 0),
            smtp_port=int(env.get("SMTP_PORT") or 0),
            admin_email=env.get("CS_ADMIN_EMAIL") or None,
            admin_password=env.get("CS_ADMIN_PASSWORD") or None,
            linode_boot_seconds=float(env.get("CS_LINODE_STUB_BOOT_SECONDS") or 5.0),
        )


class LocalStack:
    """Starts everything in this process; stop() undoes it in reverse and writes the snapshot.

    Every DynamoDB write is journaled as it happens (devstack.journal); the snapshot compacts the journal
    every `snapshot_seconds` and on stop, so a killed stack restarts with everything it had answered.
    """

    def __init__(self, config: StackConfig, say: Callable[[str], None] = print) -> None:
        self.config = config
        self._say = say
        self._running = ExitStack()
        self.moto = MotoServer(config.moto_port)
        self.mail = MailServer(config.data_dir / "mail", config.smtp_port)
        self.api = ApiServer(config.port, mail_dir=self.mail.mail_dir)
        self.journal = Journal(config.data_dir)
        self.paypal = PayPalServer()
        self.linode = LinodeServer(
            LinodeStub(boot_seconds=config.linode_boot_seconds, state_file=config.data_dir / LINODE_FILE)
        )
        self.kube = KubeServer(KubeStub(rollout_seconds=1.0))  # the Kubernetes sandbox (not persisted)
        self.resources: Bootstrapped | None = None

    @property
    def url(self) -> str:
        """Where the API answers."""
        return self.api.url

    @property
    def snapshot_path(self) -> Path:
        """The snapshot written on stop and read on start."""
        return self.config.data_dir / SNAPSHOT_FILE

    def start(self) -> None:
        """Bring the stack up; on failure whatever was started is stopped again."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop everything this stack started (never dockerd or user containers); idempotent."""
        self._running.close()

    def save(self) -> None:
        """Write the snapshot now and drop the journal segments it holds."""
        with DYNAMODB_LOCK:  # no write lands between the segments
            first = self.journal.rotate()
        save_snapshot(self.snapshot_path, self.moto.endpoint, environment.LOCAL_REGION, journal_from=first)
        self.journal.discard_before(first)

    def _start(self) -> None:
        make_private_dir(self.config.data_dir)
        docker_url = environment.docker_url()
        self._step(f"Docker Engine at {docker_url}", lambda: seed.ping_docker(docker_url))
        self._step("starting moto", self._start_moto)
        self._step("creating AWS resources", self._bootstrap)
        self._step("starting SMTP", self._start_mail)
        self._step(f"PayPal sandbox stub at {self.paypal.url}", self._start_paypal)
        self._step(f"Linode sandbox stub at {self.linode.api_url}", self._start_linode)
        self._step(f"Kubernetes sandbox stub at {self.kube.url}", self._start_kube)
        self._step("seeding", self._seed)
        self._start_periodic(schedule_runners(_schedules()))
        self._start_periodic([Every(self.config.snapshot_seconds, self.save, "snapshot")])
        self._step("starting API", self._start_api)

    def _step(self, label: str, action: Callable[[], object]) -> None:
        action()
        self._say(f"{label} … ok")

    def _start_moto(self) -> None:
        lambda_dispatch.install()
        self.moto.start()
        self._running.callback(self.moto.stop)
        secret = environment.jwt_secret(self.config.data_dir)
        environment.apply(
            {
                **environment.chalice_stage_environment("local"),
                **environment.aws_environment(self.moto.port),
                "CS_STAGE": "local",
                "CS_JWT_SECRET": os.environ.get("CS_JWT_SECRET") or secret,
            }
        )

    def _bootstrap(self) -> None:
        from chalicelib.settings import get_settings

        snapshot = read_snapshot(self.snapshot_path)
        if snapshot is not None:
            restore_keys(snapshot, environment.LOCAL_REGION)
        self.resources = bootstrap(self.moto.endpoint, get_settings())
        environment.apply(environment.state_machine_environment(self.resources.state_machines))
        if snapshot is not None:
            restore_data(snapshot, self.moto.endpoint, environment.LOCAL_REGION)
        dynamodb = local_client("dynamodb", self.moto.endpoint, environment.LOCAL_REGION)
        replayed = replay(
            read_entries(self.config.data_dir, (snapshot or {}).get("journal_from", 0)), dynamodb
        )
        if replayed:
            self._say(f"replayed {replayed} journaled write(s) since the last snapshot")
        self.journal.open()
        self._running.callback(self.journal.close)
        set_observer(DynamoWriteRecorder(self.journal))
        self._running.callback(set_observer, None)
        self.save()  # the KMS key of a first start, and the replayed writes, now in the snapshot
        self._running.callback(self.save)

    def _start_mail(self) -> None:
        self.mail.start()
        self._running.callback(self.mail.stop)
        environment.apply(environment.smtp_environment(self.mail.port))

    def _start_paypal(self) -> None:
        """The PayPal sandbox stub; it delivers signed webhooks to this stack's API."""
        self.paypal.stub.sink = lambda headers, body: post(
            f"{self.api.url}/api/webhooks/paypal", headers, body
        )
        self.paypal.start(auto_deliver=True)
        self._running.callback(self.paypal.stop)
        public = f"http://127.0.0.1:{self.config.port or 8000}"
        environment.apply({"CS_PAYPAL_BASE_URL": self.paypal.url, "CS_PUBLIC_URL": public})

    def _start_linode(self) -> None:
        """The Linode sandbox stub (its instances and events kept in the data dir); the API's Linode."""
        self.linode.stub.restore()
        self.linode.start()
        self._running.callback(self.linode.stop)
        environment.apply({"CS_LINODE_BASE_URL": self.linode.api_url})

    def _start_kube(self) -> None:
        """The Kubernetes sandbox stub: a cluster customers can deploy to (its objects live in memory)."""
        self.kube.start()
        self._running.callback(self.kube.stop)

    def _seed(self) -> None:
        created = seed.ensure_admin(self.config.admin_email, self.config.admin_password)
        if created:
            self._say(created)
        seed.ensure_default_host(environment.docker_url())
        sandbox = seed.ensure_sandbox_linode()
        if sandbox:
            self._say(sandbox)
        cluster = seed.ensure_sandbox_cluster(self.kube.url)
        if cluster:
            self._say(cluster)
        image = images.build_web_image(environment.docker_url(), images.SAMPLE_IMAGE)
        self._say(f"sample image {image} (busybox httpd on port 80) is on the default host")
        built = images.build_marketplace_images(environment.docker_url())
        self._say(f"marketplace images built locally (offline templates): {', '.join(built)}")
        from chalicelib.settings import get_settings

        helper = images.build_backup_helper(environment.docker_url(), get_settings().backup_helper_image)
        self._say(f"backup helper image {helper} is on the default host")

    def _start_periodic(self, runners: list[Every]) -> None:
        for runner in runners:
            runner.start()
            self._running.callback(runner.stop)

    def _start_api(self) -> None:
        self.api.start()
        self._running.callback(self.api.stop)


def make_private_dir(path: Path) -> None:
    """Create `path` (and its parents) for the stack's data; a directory it creates is owner-only."""
    if not path.is_dir():
        path.mkdir(parents=True, mode=0o700)
        path.chmod(0o700)  # whatever the umask


def _schedules() -> dict[str, int]:
    from functions.registry import SCHEDULES

    return dict(SCHEDULES)
