"""Promise: a lock that cannot be released is reported in one line and retried, never a raw botocore traceback
(issue 20, item 8); the endpoint coming back between tries releases it."""

from __future__ import annotations

import pytest

from gate.cloud.aws import AwsTarget
from gate.deploy.lock import StackLock
from gate.errors import GateError
from tests.deploy_support import unique

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _dead(moto: AwsTarget) -> object:
    dead = AwsTarget(region=moto.region, endpoint_url="http://127.0.0.1:9")
    return dead.client("dynamodb")


def test_a_lock_release_failure_is_one_gate_error_after_retries(moto: AwsTarget) -> None:
    lock = StackLock(moto, "gate-release-locks", unique("release"), owner="erin", ttl_seconds=60)
    lock.acquire(0, print)
    live, lock.ddb = lock.ddb, _dead(moto)
    with pytest.raises(GateError, match="releasing the lock") as raised:
        lock.release(attempts=2, pause=0.01)
    assert "\n" not in raised.value.render() and raised.value.__cause__ is None, "one line, no chained traceback"
    assert lock.held is False
    lock.ddb, lock.held = live, True
    lock.release()
    assert lock.holder() is None


def test_a_lock_release_is_retried_until_the_endpoint_answers(moto: AwsTarget) -> None:
    lock = StackLock(moto, "gate-release-locks", unique("retry"), owner="fay", ttl_seconds=60)
    lock.acquire(0, print)
    live = lock.ddb
    calls: list[int] = []

    class Flaky:
        def delete_item(self, **kwargs: object) -> object:
            calls.append(1)
            if len(calls) == 1:
                return _dead(moto).delete_item(**kwargs)  # type: ignore[attr-defined]
            return live.delete_item(**kwargs)

    lock.ddb = Flaky()
    lock.release(attempts=3, pause=0.01)
    assert len(calls) == 2
    lock.ddb = live
    assert lock.holder() is None
