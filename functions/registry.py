"""Lambda functions that are not HTTP: deployed name -> "module:handler".

The CDK app deploys one function per entry; the local stack dispatches moto's Lambda
invocations (from the state machines) to these handlers in-process. State machine
definitions reference them as ${<Key>Arn} substitutions, where <Key> is the entry's key.
"""

from __future__ import annotations

FUNCTIONS: dict[str, str] = {
    "ContainerCreate": "functions.containers.provisioning:create_engine_containers",
    "ContainerMarkRunning": "functions.containers.provisioning:mark_running",
    "ContainerCleanUp": "functions.containers.provisioning:clean_up_failure",
    "ContainerReconcile": "functions.containers.reconcile:handler",
    "BillingSchedule": "functions.billing.run:start_hourly",
    "BillingPlan": "functions.billing.run:plan",
    "BillingBatch": "functions.billing.run:bill_batch",
    "BillingFinish": "functions.billing.run:finish",
    "BillingReconcile": "functions.billing.daily:reconcile",
    "BillingInvoices": "functions.billing.daily:issue_invoices",
    "VpsReserve": "functions.vps.provisioning:reserve",
    "VpsCreateInstance": "functions.vps.provisioning:create_instance",
    "VpsCheckInstance": "functions.vps.provisioning:check_instance",
    "VpsMarkRunning": "functions.vps.provisioning:mark_running",
    "VpsRemoveCreated": "functions.vps.provisioning:remove_created",
    "VpsFail": "functions.vps.provisioning:fail",
    "VpsDeleteInstance": "functions.vps.provisioning:delete_instance",
    "VpsCheckDeleted": "functions.vps.provisioning:check_deleted",
    "VpsDeleteFailed": "functions.vps.provisioning:delete_failed",
    "VpsPollEvents": "functions.vps.schedules:poll_events",
    "VpsReconcile": "functions.vps.schedules:reconcile",
    "SupportMail": "functions.support.mail:deliver",
    "WebhookDeliverDue": "functions.notifications.deliver:deliver_due",
    "WebhookDeliver": "functions.notifications.deliver:deliver",
    # backups
    "BackupArchive": "functions.backups.workflow:archive",
    "BackupConfirm": "functions.backups.workflow:confirm",
    "BackupVerify": "functions.backups.workflow:verify",
    "BackupFail": "functions.backups.workflow:fail",
    "BackupRestoreStop": "functions.backups.workflow:restore_stop",
    "BackupRestorePut": "functions.backups.workflow:restore_put",
    "BackupRestoreStart": "functions.backups.workflow:restore_start",
    "BackupRestoreFail": "functions.backups.workflow:restore_fail",
    "BackupSchedule": "functions.backups.schedules:run_due",
    # Images (issue 13 §3)
    "ImageLoad": "functions.images.workflows:load",
    "ImageBuild": "functions.images.workflows:build",
    "ImageFail": "functions.images.workflows:fail",
}

# Functions that need more than the default 512 MB and 2 minutes: key -> (memory MB, timeout s, /tmp MB).
FUNCTION_SIZES: dict[str, tuple[int, int, int]] = {
    "ImageLoad": (1024, 900, 10240),  # a docker save tarball and its renamed copy on /tmp
    "ImageBuild": (1024, 900, 10240),
}
# Backups: the tasks that move an archive (host -> /tmp -> S3 and back) get the same room.
FUNCTION_SIZES.update(
    {
        key: (1024, 900, 10240)
        for key in ("BackupArchive", "BackupConfirm", "BackupVerify", "BackupRestorePut")
    }
)
# Monitoring: the per-minute metrics collector and the alert evaluator.
FUNCTIONS.update(
    {
        "MetricsCollect": "functions.monitoring.schedules:collect",
        "AlertsEvaluate": "functions.monitoring.schedules:evaluate",
    }
)

# Deployed Lambda function name for each key.
FUNCTION_NAMES: dict[str, str] = {key: f"cs-{key}" for key in FUNCTIONS}

# State machines: registry name (what Workflows.start takes) -> definition file under statemachines/.
STATE_MACHINES: dict[str, str] = {
    "provision-container": "containers/provision_container.asl.json",
    "billing-run": "billing/billing_run.asl.json",
    "provision-vps": "vps/provision_vps.asl.json",
    "delete-vps": "vps/delete_vps.asl.json",
    # Images (issue 13 §3)
    "load-image": "images/load_image.asl.json",
    "build-image": "images/build_image.asl.json",
    # backups
    "backup": "backups/backup.asl.json",
    "restore-backup": "backups/restore_backup.asl.json",
}

# Deployed state machine name for each registry name.
STATE_MACHINE_NAMES: dict[str, str] = {name: f"cs-{name}" for name in STATE_MACHINES}

# Scheduled handlers and their cadence in seconds (EventBridge in AWS, a timer locally).
SCHEDULES: dict[str, int] = {
    "ContainerReconcile": 60,
    "BillingSchedule": 3600,
    "BillingReconcile": 86400,
    "BillingInvoices": 86400,
    "VpsPollEvents": 60,
    "VpsReconcile": 3600,
    "SupportMail": 60,
    "WebhookDeliverDue": 60,
    # backups
    "BackupSchedule": 60,
}
SCHEDULES.update({"MetricsCollect": 60, "AlertsEvaluate": 60})


def resolve(key: str) -> object:
    """Import and return the handler callable for a registry key."""
    import importlib

    module_name, _, attr = FUNCTIONS[key].partition(":")
    return getattr(importlib.import_module(module_name), attr)
