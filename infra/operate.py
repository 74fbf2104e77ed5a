"""`make deploy` / `make destroy`: say what will happen, ask, then run the pinned CDK CLI.

    python infra/operate.py deploy STAGE    (after `make synth STAGE=...`: deploys exactly cdk.out/)
    python infra/operate.py destroy STAGE   (keeps tables, backups, key and secrets unless DESTROY_DATA=yes)
    python infra/operate.py admin STAGE     (the first platform admin: ADMIN_EMAIL, password asked)

Both stop with a clear message when there are no AWS credentials, and ask before acting: type the stage
name to go on (CONFIRM=<stage> answers for a non-interactive run). The CDK CLI is the npm package aws-cdk at
CDK_CLI_VERSION, run through npx.
"""

from __future__ import annotations

import json
import mimetypes
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
CDK_CLI_VERSION = "2.1148.1"
ASSEMBLY = ROOT / "cdk.out"
RETAINED = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::KMS::Key", "AWS::SecretsManager::Secret")


def fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(1)


def identity() -> dict[str, str]:
    """The caller's account and ARN, and the region; stops when there are no usable credentials."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.session.Session(region_name=os.environ.get("AWS_REGION") or None)
    region = session.region_name
    if not region:
        fail("no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or a profile's region)")
    try:
        caller = session.client("sts").get_caller_identity()
    except (BotoCoreError, ClientError) as exc:
        fail(
            f"no usable AWS credentials ({exc}). Configure them first (aws configure / aws sso login / "
            "AWS_PROFILE=...); README: Deploy to AWS > Prerequisites"
        )
    return {"account": caller["Account"], "arn": caller["Arn"], "region": str(region)}


def template(stage: str) -> dict[str, Any]:
    path = ASSEMBLY / f"{stage}.template.json"
    if not path.exists():
        fail(f"{path} is missing: run `make synth STAGE={stage}` first")
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def summary(resources: dict[str, Any]) -> list[str]:
    counts = Counter(r["Type"] for r in resources.values())
    return [f"  {count:3} x {kind}" for kind, count in sorted(counts.items())]


def confirm(stage: str, question: str) -> None:
    answer = os.environ.get("CONFIRM")
    if answer is None:
        if not sys.stdin.isatty():
            fail(f"not a terminal: set CONFIRM={stage} to answer '{question}'")
        answer = input(f"{question} Type the stage name ({stage}) to go on: ").strip()
    if answer != stage:
        fail("not confirmed; nothing was changed")


def cdk(*args: str) -> None:
    command = ["npx", "--yes", f"aws-cdk@{CDK_CLI_VERSION}", *args]
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def deploy(stage: str) -> None:
    resources = template(stage)["Resources"]
    who = identity()
    stack = f"ContainerStacks-{stage}"
    print(f"Deploying {stack} to account {who['account']} in {who['region']} as {who['arn']}.")
    print(f"The stack holds {len(resources)} resources:")
    print("\n".join(summary(resources)))
    print(
        "Tables, the backup bucket, the KMS key and the secrets are retained if the stack is ever deleted.\n"
        f"Needs the CDK bootstrap stack in this account/region once: npx aws-cdk@{CDK_CLI_VERSION} bootstrap "
        f"aws://{who['account']}/{who['region']}"
    )
    cdk("diff", "--app", str(ASSEMBLY), stage)
    confirm(stage, f"Deploy {stack} with the changes above?")
    outputs = ASSEMBLY / f"outputs-{stage}.json"
    cdk(
        "deploy", "--app", str(ASSEMBLY), stage, "--require-approval", "never", "--outputs-file", str(outputs)
    )
    values: dict[str, str] = json.loads(outputs.read_text()).get(stack, {})
    upload_web(values)
    for key in ("WebUrl", "ApiUrl", "DashboardUrl"):
        print(f"{key}: {values.get(key, '?')}")


def upload_web(values: dict[str, str]) -> None:
    """Upload web/dist (when built) to the web bucket and invalidate CloudFront's copy."""
    dist = ROOT / "web" / "dist"
    if not dist.is_dir():
        print("web/dist is not built: the web app was not uploaded (build it, then make deploy again)")
        return
    import time

    import boto3

    s3 = boto3.client("s3")
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        key = path.relative_to(dist).as_posix()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        cache = "no-cache" if key == "index.html" else "public, max-age=31536000, immutable"
        s3.upload_file(
            str(path), values["WebBucketName"], key, ExtraArgs={"ContentType": kind, "CacheControl": cache}
        )
    boto3.client("cloudfront").create_invalidation(
        DistributionId=values["DistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())},
    )
    print(f"uploaded web/dist to {values['WebBucketName']} and invalidated the distribution")


def destroy(stage: str) -> None:
    resources = template(stage)["Resources"]
    who = identity()
    stack = f"ContainerStacks-{stage}"
    drop_data = os.environ.get("DESTROY_DATA") == "yes"
    kept = {
        rid: r
        for rid, r in resources.items()
        if r["Type"] in RETAINED and r.get("DeletionPolicy") == "Retain"
    }
    print(f"Deleting {stack} from account {who['account']} in {who['region']}.")
    if drop_data:
        print("DESTROY_DATA=yes: the tables, backups (every version), key and secrets are deleted too.")
        print(
            "The stack is first updated to drop deletion protection and retention (a deploy), then deleted."
        )
    else:
        print("Kept (DeletionPolicy Retain; delete by hand, or run again with DESTROY_DATA=yes):")
        print("\n".join(summary(kept)) or "  (nothing)")
    confirm(stage, f"Delete {stack}?")
    if drop_data:
        if not any(r.get("DeletionPolicy") == "Delete" for r in resources.values() if r["Type"] in RETAINED):
            fail(f"cdk.out/ keeps the data: run `make synth STAGE={stage} DESTROY_DATA=yes` first")
        cdk("deploy", "--app", str(ASSEMBLY), stage, "--require-approval", "never")
    cdk("destroy", "--app", str(ASSEMBLY), stage, "--force")


def create_admin(settings: dict[str, str], email: str, password: str) -> bool:
    """Make sure a platform admin account exists for `email` in the deployment `settings` describe (the
    AppSettings output); True when it was created now. Runs the app's own sign-up with the caller's
    credentials. Raises Conflict when the address belongs to an ordinary account."""
    os.environ.update(settings)
    from chalicelib import wiring
    from chalicelib.wiring.accounts import get_accounts

    wiring.reset()
    try:
        return get_accounts().ensure_admin(email, password)
    finally:
        wiring.reset()


def first_admin(stage: str) -> None:
    import getpass

    import boto3

    email = os.environ.get("ADMIN_EMAIL") or fail("set ADMIN_EMAIL=<the admin's address>")
    who = identity()
    stack = f"ContainerStacks-{stage}"
    described = boto3.client("cloudformation", region_name=who["region"]).describe_stacks(StackName=stack)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Stacks"][0].get("Outputs", [])}
    settings: dict[str, str] = {**json.loads(outputs["AppSettings"]), "AWS_REGION": who["region"]}
    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass(f"Password for {email} (12+ characters): ")
    created = create_admin(settings, str(email), password)
    state = "is now" if created else "already was"
    print(f"{email} {state} a platform admin of {stack}: log in at {outputs['WebUrl']}")


def main() -> None:
    actions = {"deploy": deploy, "destroy": destroy, "admin": first_admin}
    if len(sys.argv) != 3 or sys.argv[1] not in actions:
        raise SystemExit("usage: python infra/operate.py deploy|destroy|admin STAGE")
    actions[sys.argv[1]](sys.argv[2])


if __name__ == "__main__":
    main()
