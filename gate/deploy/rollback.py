"""Roll back after an alarm: deploy the template saved before the apply, or delete a stack the apply created.

(Real AWS also rolls back by itself when a RollbackConfiguration trigger fires during the operation; moto has
no triggers and no cancel/continue-rollback, so after the operation this is how the gate undoes it.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from botocore.exceptions import ClientError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.deploy.changeset import CAPABILITIES, parameter_list
from gate.deploy.stackwait import EventPrinter, wait_for_stack
from gate.errors import GateError

MAX_TEMPLATE_BODY = 51_200  # bytes CloudFormation accepts inline; larger needs TemplateURL


def roll_back(
    target: AwsTarget,
    stack_name: str,
    previous_template: str | None,
    say: Callable[[str], None],
    timeout_seconds: float,
    poll_seconds: float,
    tick: Callable[[], None] | None = None,
    parameters: Mapping[str, str] | None = None,
) -> str:
    """Undo the apply; return what was done. Raises GateError when the rollback itself fails.

    ``tick`` is called while waiting (the apply renews its stack lock with it: a rollback can take long);
    ``parameters`` are the values the stack ran with before the apply."""
    cfn = target.client("cloudformation")
    printer = EventPrinter(cfn, stack_name, say)
    try:
        printer.skip_existing()
        if previous_template is None:
            say(f"rollback: deleting stack {stack_name}, which this apply created")
            cfn.delete_stack(StackName=stack_name)
            action = f"deleted stack {stack_name}, which this apply created"
        else:
            if len(previous_template.encode()) > MAX_TEMPLATE_BODY:
                raise GateError(
                    f"the previous template of {stack_name} is over {MAX_TEMPLATE_BODY} bytes; roll back by hand",
                    fix="redeploy the saved previous template through an S3 TemplateURL",
                )
            say(f"rollback: redeploying the template stack {stack_name} ran before this apply")
            try:
                extra = {"Parameters": parameter_list(parameters)} if parameters else {}
                cfn.update_stack(
                    StackName=stack_name, TemplateBody=previous_template, Capabilities=CAPABILITIES, **extra
                )
            except ClientError as exc:
                if "No updates are to be performed" not in str(exc):
                    raise
                return f"stack {stack_name} already runs the previous template"
            action = f"redeployed the previous template of {stack_name}"
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"rolling back stack {stack_name}", target) from exc
    waited = wait_for_stack(target, stack_name, say, timeout_seconds, poll_seconds, printer=printer, tick=tick)
    if not waited.ok:
        why = "; ".join(waited.failures) or "no reason in the stack events"
        raise GateError(
            f"the rollback of {stack_name} ended in {waited.status}: {why}",
            fix="fix the stack by hand (CloudFormation console); the previous template is in the audit log's state",
        )
    return action
