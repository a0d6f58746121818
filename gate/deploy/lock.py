"""One apply per stack at a time: a DynamoDB item written with a conditional put.

The item (``lock_id`` = ``<region>/<stack>``) holds the owner, a random token, when it was taken and when it
expires (also as ``ttl`` for DynamoDB's TTL).  The holder renews it while it works and deletes it in a
``finally``.  A lock past its expiry is stale (its holder died): the next run reclaims it and says whose it was.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.errors import GateError


@dataclass(frozen=True)
class Holder:
    owner: str
    acquired_at: str
    expires_at: float

    def describe(self) -> str:
        until = dt.datetime.fromtimestamp(self.expires_at, dt.UTC).isoformat(timespec="seconds")
        return f"{self.owner} (since {self.acquired_at}, expires {until} unless renewed)"


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


class StackLock:
    def __init__(
        self,
        target: AwsTarget,
        table: str,
        stack_name: str,
        owner: str,
        ttl_seconds: float,
        create_table: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.target = target
        self.table = table
        self.lock_id = f"{target.region}/{stack_name}"
        self.owner = owner
        self.token = uuid.uuid4().hex
        self.ttl_seconds = ttl_seconds
        self.create_table = create_table
        self.clock = clock
        self.ddb = target.client("dynamodb")
        self.held = False

    def _item(self) -> dict[str, Any]:
        now = self.clock()
        expires = now + self.ttl_seconds
        return {
            "lock_id": {"S": self.lock_id},
            "owner": {"S": self.owner},
            "token": {"S": self.token},
            "acquired_at": {"S": _iso(now)},
            "expires_at": {"N": f"{expires:.3f}"},
            "ttl": {"N": str(int(expires) + 1)},
        }

    def holder(self) -> Holder | None:
        try:
            got = self.ddb.get_item(TableName=self.table, Key={"lock_id": {"S": self.lock_id}}, ConsistentRead=True)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None  # no table yet: nobody holds a lock
            raise
        item = got.get("Item")
        if not item:
            return None
        return Holder(
            owner=item.get("owner", {}).get("S", "?"),
            acquired_at=item.get("acquired_at", {}).get("S", "?"),
            expires_at=float(item.get("expires_at", {}).get("N", "0")),
        )

    def _ensure_table(self) -> None:
        try:
            self.ddb.describe_table(TableName=self.table)
            return
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException" or not self.create_table:
                raise
        try:
            self.ddb.create_table(
                TableName=self.table,
                KeySchema=[{"AttributeName": "lock_id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "lock_id", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ResourceInUseException":  # another run created it
                raise
        self.ddb.get_waiter("table_exists").wait(TableName=self.table, WaiterConfig={"Delay": 1, "MaxAttempts": 60})

    def _try(self) -> tuple[bool, Holder | None]:
        """One conditional put. Returns (taken, the previous holder if it was stale and reclaimed)."""
        before = self.holder()
        try:
            self.ddb.put_item(
                TableName=self.table,
                Item=self._item(),
                ConditionExpression="attribute_not_exists(lock_id) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": f"{self.clock():.3f}"}},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False, None
            raise
        stale = before if before is not None and before.expires_at < self.clock() else None
        return True, stale

    def acquire(self, wait_seconds: float, say: Callable[[str], None], poll: float = 0.5) -> None:
        """Take the lock, waiting up to ``wait_seconds`` for a live holder; fail naming the holder."""
        try:
            self._ensure_table()
            deadline = time.monotonic() + wait_seconds
            announced = False
            while True:
                taken, stale = self._try()
                if taken:
                    self.held = True
                    if stale is not None:
                        say(
                            f"lock: reclaimed a stale lock on {self.lock_id} held by {stale.owner} since "
                            f"{stale.acquired_at} (expired {_iso(stale.expires_at)}); that run did not finish"
                        )
                    say(f"lock: {self.lock_id} taken by {self.owner}")
                    return
                current = self.holder()
                who = current.describe() if current else "another run (released just now)"
                if time.monotonic() >= deadline:
                    raise GateError(
                        f"stack {self.lock_id} is locked by {who}",
                        fix="wait for that apply to finish (or raise deploy.lock_wait_seconds); a lock whose "
                        "holder died frees itself when it expires",
                    )
                if not announced:
                    say(f"lock: waiting up to {wait_seconds:g} s for {self.lock_id}, held by {who}")
                    announced = True
                time.sleep(min(poll, max(deadline - time.monotonic(), 0.01)))
        except AWS_ERRORS as exc:
            raise aws_error(exc, f"taking the lock in DynamoDB table {self.table}", self.target) from exc

    def renew(self) -> None:
        """Push the expiry forward while we still hold the lock (a no-op once lost)."""
        if not self.held:
            return
        now = self.clock()
        try:
            self.ddb.update_item(
                TableName=self.table,
                Key={"lock_id": {"S": self.lock_id}},
                UpdateExpression="SET expires_at = :exp, #t = :ttl",
                ConditionExpression="#tok = :token",
                ExpressionAttributeNames={"#t": "ttl", "#tok": "token"},
                ExpressionAttributeValues={
                    ":exp": {"N": f"{now + self.ttl_seconds:.3f}"},
                    ":ttl": {"N": str(int(now + self.ttl_seconds) + 1)},
                    ":token": {"S": self.token},
                },
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                self.held = False
                raise GateError(
                    f"lost the lock on {self.lock_id}: another run reclaimed it after it expired",
                    fix="raise deploy.lock_ttl_minutes above the poll interval",
                ) from exc
            raise aws_error(exc, f"renewing the lock on {self.lock_id}", self.target) from exc

    def release(self, attempts: int = 3, pause: float = 0.5) -> None:
        """Delete our lock item, retried ``attempts`` times (the endpoint may be briefly away); a lock that still
        cannot be released is one GateError (it then expires after its TTL)."""
        if not self.held:
            return
        try:
            for attempt in range(1, attempts + 1):
                try:
                    self.ddb.delete_item(
                        TableName=self.table,
                        Key={"lock_id": {"S": self.lock_id}},
                        ConditionExpression="#tok = :token",
                        ExpressionAttributeNames={"#tok": "token"},
                        ExpressionAttributeValues={":token": {"S": self.token}},
                    )
                    return
                except ClientError as exc:
                    if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                        return  # not ours any more (reclaimed as stale): nothing to release
                    if attempt == attempts:
                        raise aws_error(exc, f"releasing the lock on {self.lock_id}", self.target) from None
                except AWS_ERRORS as exc:
                    if attempt == attempts:
                        raise aws_error(exc, f"releasing the lock on {self.lock_id}", self.target) from None
                time.sleep(pause * attempt)
        finally:
            self.held = False
