"""Plan-time locks, as Atlantis and Digger have them: a PR's plan holds its stack (per environment and region)
from plan until the PR is merged or closed, so two PRs never sit reviewed against the same base. Another PR's
plan is refused and says who holds the lock; a writer's ``/gate unlock`` frees it. ``deploy.plan_lock: false``
turns it off. The lock is an item in the deploy lock table (``deploy.lock_table``), keyed
``plan/<environment>/<region>/<stack>``, apart from the apply lock (``<region>/<stack>``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from gate.cloud.aws import AwsTarget, aws_error
from gate.config import DeploySettings
from gate.deploy.lock import StackLock


@dataclass(frozen=True)
class PlanHold:
    pr: int
    actor: str
    since: str

    def describe(self) -> str:
        return f"pull request #{self.pr} (planned by {self.actor}, since {self.since})"


class PlanLock:
    def __init__(self, target: AwsTarget, deploy: DeploySettings, stack_name: str, environment: str) -> None:
        self.target = target
        self.deploy = deploy
        self.table = deploy.lock_table
        self.lock_id = f"plan/{environment}/{target.region}/{stack_name}"
        self.stack = stack_name
        self.environment = environment
        self.ddb = target.client("dynamodb")

    def _key(self) -> dict[str, dict[str, str]]:
        return {"lock_id": {"S": self.lock_id}}

    def holder(self) -> PlanHold | None:
        try:
            item = self.ddb.get_item(TableName=self.table, Key=self._key(), ConsistentRead=True).get("Item")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise aws_error(exc, f"reading the plan lock of {self.stack}", self.target) from exc
        except BotoCoreError as exc:
            raise aws_error(exc, f"reading the plan lock of {self.stack}", self.target) from exc
        if not item:
            return None
        return PlanHold(int(item["pr"]["N"]), item.get("actor", {}).get("S", "?"), item.get("since", {}).get("S", "?"))

    def take(self, pr: int, actor: str) -> PlanHold | None:
        """Hold the lock for ``pr`` (a re-plan of the same PR keeps it); the other holder when it is taken."""
        since = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            # the apply lock's table (created on first use when deploy.create_lock_table allows it)
            StackLock(self.target, self.table, self.stack, actor, 60, self.deploy.create_lock_table)._ensure_table()
            self.ddb.put_item(
                TableName=self.table,
                Item={**self._key(), "pr": {"N": str(pr)}, "actor": {"S": actor}, "since": {"S": since}},
                ConditionExpression="attribute_not_exists(lock_id) OR pr = :pr",
                ExpressionAttributeValues={":pr": {"N": str(pr)}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return self.holder()
            raise aws_error(exc, f"taking the plan lock of {self.stack}", self.target) from exc
        except BotoCoreError as exc:
            raise aws_error(exc, f"taking the plan lock of {self.stack}", self.target) from exc
        return None

    def release(self, pr: int | None = None) -> PlanHold | None:
        """Free the lock (only when ``pr`` holds it, unless ``pr`` is None: '/gate unlock'); who held it."""
        held = self.holder()
        if held is None or (pr is not None and held.pr != pr):
            return None
        try:
            self.ddb.delete_item(
                TableName=self.table,
                Key=self._key(),
                ConditionExpression="pr = :pr",
                ExpressionAttributeValues={":pr": {"N": str(held.pr)}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None  # taken over in between: not ours to free
            raise aws_error(exc, f"releasing the plan lock of {self.stack}", self.target) from exc
        except BotoCoreError as exc:
            raise aws_error(exc, f"releasing the plan lock of {self.stack}", self.target) from exc
        return held
