"""One apply per stack: the DynamoDB lock on the moto server, concurrent applies, stale locks, a killed apply."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.deploy.lock import StackLock
from gate.errors import GateError
from tests.conftest import ROOT
from tests.deploy_support import (
    AUDIT,
    anchored,
    audit_records,
    bucket_template,
    create_alarm,
    plan,
    unique,
    write_config,
)

pytestmark = pytest.mark.usefixtures("aws_credentials")


def test_two_concurrent_applies_one_fails_naming_the_holder(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm = unique("lock-race"), unique("lock-race-a")
    create_alarm(moto, alarm)
    config = write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=0.03, poll_seconds=0.05)
    _, path = plan(workdir, moto, config, bucket_template(unique("lock-race-b")), "p")
    codes: dict[str, int] = {}
    first = threading.Thread(
        target=lambda: codes.setdefault("alice", main(["apply", *anchored(path), "--actor", "alice"]))
    )
    first.start()
    lock = StackLock(moto, config.deploy.lock_table, stack, owner="probe", ttl_seconds=60)
    deadline = time.monotonic() + 10
    while lock.holder() is None and time.monotonic() < deadline:  # alice holds it now (she is baking)
        time.sleep(0.01)
    codes["bob"] = main(["apply", *anchored(path), "--actor", "bob"])
    first.join(20)
    assert codes == {"alice": 0, "bob": 2}
    err = capsys.readouterr().err
    assert f"stack us-east-1/{stack} is locked by alice (run " in err
    assert lock.holder() is None, "released in finally"


def test_a_waiting_apply_gets_the_lock_when_it_is_released(workdir: Path, moto: AwsTarget) -> None:
    stack = unique("lock-wait")
    config = write_config(workdir, moto, stack, lock_wait_seconds=5)
    holder = StackLock(moto, config.deploy.lock_table, stack, owner="carol", ttl_seconds=60)
    holder.acquire(0, print)
    said: list[str] = []

    def release_once_the_waiter_waits() -> None:  # not on a timer: a loaded machine may be slower than any delay
        deadline = time.monotonic() + 5
        while not said and time.monotonic() < deadline:
            time.sleep(0.01)
        holder.release()

    timer = threading.Thread(target=release_once_the_waiter_waits)
    timer.start()
    waiter = StackLock(moto, config.deploy.lock_table, stack, owner="dave", ttl_seconds=60)
    waiter.acquire(5, said.append, poll=0.05)
    timer.join()
    assert any("waiting up to 5 s" in s and "held by carol" in s for s in said)
    assert waiter.holder() is not None and waiter.holder().owner == "dave"  # type: ignore[union-attr]
    waiter.release()
    holder.acquire(0, print)
    with pytest.raises(GateError, match="locked by carol"):
        StackLock(moto, config.deploy.lock_table, stack, owner="x", ttl_seconds=60).acquire(0, print)
    holder.release()


def test_a_stale_lock_is_reclaimed_with_the_holder_named(workdir: Path, moto: AwsTarget) -> None:
    config = write_config(workdir, moto, unique("lock-stale"))
    stack = config.stack_name
    StackLock(moto, config.deploy.lock_table, stack, owner="erin (run dead)", ttl_seconds=0.2).acquire(0, print)
    time.sleep(0.3)
    said: list[str] = []
    StackLock(moto, config.deploy.lock_table, stack, owner="frank", ttl_seconds=60).acquire(0, said.append)
    assert "reclaimed a stale lock" in said[0] and "held by erin (run dead)" in said[0]


def test_killed_apply_is_reported_by_the_next_run(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm = unique("lock-kill"), unique("lock-kill-a")
    create_alarm(moto, alarm)
    # a long bake, so the apply is surely still running (baking) when it is killed; a short lock TTL (renewed
    # while it runs) so the dead run's lock goes stale quickly
    config = write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=5, poll_seconds=0.1, lock_ttl_minutes=0.02)
    _, path = plan(workdir, moto, config, bucket_template(unique("lock-kill-b")), "p")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gate.cli", "apply", *anchored(path), "--actor", "gina"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("bake: watching"):
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert any("CREATE_COMPLETE" in line for line in seen), "".join(seen)
    assert [r["kind"] for r in audit_records(workdir)] == ["apply-started", "apply-executed"]
    time.sleep(1.3)  # the dead run's lock expires (TTL 1.2 s, no longer renewed)

    write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=0, poll_seconds=0.05)
    assert main(["apply", *anchored(path), "--actor", "hank"]) == 0
    out = capsys.readouterr().out
    assert "reclaimed a stale lock" in out and "held by gina" in out
    assert "WARNING: previous apply" in out and "by gina" in out
    assert "was interrupted after the stack operation ended, during the bake" in out
    kinds = [r["kind"] for r in audit_records(workdir)]
    assert kinds[:3] == ["apply-started", "apply-executed", "apply-interrupted"]
    assert kinds[-1] == "apply-finished"
    assert (workdir / AUDIT).exists()

    assert main(["apply", *anchored(path), "--actor", "hank"]) == 0
    assert "WARNING: previous apply" not in capsys.readouterr().out, (
        "reported once, then closed by its apply-interrupted record"
    )
