"""A CodePipeline manual-approval action as the approver of a ``needs-approval`` plan (gate/deploy/spine.py).

The plan action succeeds with ``verdict=needs-approval`` so that a Manual approval action can follow it; the
apply action names that action in its ``ApprovalAction`` property (``Action`` or ``Stage.Action``). Before a
needs-approval plan is applied, the worker checks in the pipeline's definition (``GetPipeline``) that the named
action is a Manual approval (``Approval/AWS/Manual``), and in the action executions of **this** pipeline
execution (``ListActionExecutions`` filtered on the job's ``pipelineExecutionId``) that it succeeded. Who approved
(``updatedBy``) and the approval's comment go into the audit log (``apply-approved``) and the job's summary. An
approval of another execution, of another action, or one not given, approves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.deploy.spine import Approval
from gate.errors import GateError
from gate.models import GatePlan

MANUAL = ("Approval", "AWS", "Manual")
FIX = "set the apply action's ApprovalAction to the name of the Manual approval action between plan and apply"


@dataclass(frozen=True)
class ManualApproval:
    target: AwsTarget
    pipeline: str
    execution_id: str | None
    action: str  # "Action" or "Stage.Action"

    def required_for(self, plan: GatePlan) -> bool:
        return plan.verdict.decision == "needs-approval"

    def _names(self) -> tuple[str | None, str]:
        stage, _, action = self.action.rpartition(".")
        return (stage or None), action

    def _stage(self, client: Any) -> str:
        """The stage of the named action, after checking that it is a Manual approval action."""
        want_stage, want_action = self._names()
        try:
            stages = client.get_pipeline(name=self.pipeline)["pipeline"]["stages"]
        except AWS_ERRORS as exc:
            raise aws_error(exc, f"reading pipeline {self.pipeline}", self.target) from exc
        found = [
            (stage["name"], action)
            for stage in stages
            for action in stage.get("actions", [])
            if action.get("name") == want_action and want_stage in (None, stage["name"])
        ]
        if len(found) != 1:
            how = "no" if not found else f"{len(found)} (name it Stage.Action)"
            raise GateError(
                f"pipeline {self.pipeline} has {how} action {self.action!r}", source="ApprovalAction", fix=FIX
            )
        stage_name, action = found[0]
        kind = action.get("actionTypeId") or {}
        if (kind.get("category"), kind.get("owner"), kind.get("provider")) != MANUAL:
            raise GateError(
                f"action {stage_name}.{want_action} of pipeline {self.pipeline} is not a Manual approval "
                f"({kind.get('category')}/{kind.get('owner')}/{kind.get('provider')})",
                source="ApprovalAction",
                fix=FIX,
            )
        return str(stage_name)

    def _executions(self, client: Any, execution_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        token: str | None = None
        try:
            while True:
                page = client.list_action_executions(
                    pipelineName=self.pipeline,
                    filter={"pipelineExecutionId": execution_id},
                    **({"nextToken": token} if token else {}),
                )
                found.extend(page.get("actionExecutionDetails") or [])
                token = page.get("nextToken")
                if not token:
                    return found
        except AWS_ERRORS as exc:
            raise aws_error(exc, f"reading the action executions of {self.pipeline}", self.target) from exc

    def confirm(self, plan: GatePlan, environment: str) -> Approval:
        if not self.execution_id:
            raise GateError(
                "the job names no pipeline execution (pipelineContext.pipelineExecutionId), so its approval "
                "cannot be checked",
                fix="run the apply action inside a pipeline execution, after the Manual approval action",
            )
        client = self.target.client("codepipeline")
        stage = self._stage(client)
        name = f"{stage}.{self._names()[1]}"
        run = self.execution_id
        mine = [
            d
            for d in self._executions(client, run)
            if d.get("stageName") == stage and d.get("actionName") == self._names()[1]
        ]
        if not mine:
            return Approval(
                False, f"the approval action {name} has not run in pipeline execution {run}", "codepipeline"
            )
        latest = max(mine, key=lambda d: str(d.get("lastUpdateTime") or d.get("startTime") or ""))
        status, approver = latest.get("status"), latest.get("updatedBy")
        if status != "Succeeded":
            return Approval(
                False, f"the approval action {name} is {status} in pipeline execution {run}", "codepipeline"
            )
        result = (latest.get("output") or {}).get("executionResult") or {}
        summary = str(result.get("externalExecutionSummary") or "")
        facts = {"pipeline": self.pipeline, "pipeline_execution_id": run, "action": name}
        facts |= {"summary": summary} if summary else {}
        who = approver or "an unnamed approver"
        reason = f"approved in CodePipeline by {who} ({name}, execution {run})" + (f": {summary}" if summary else "")
        return Approval(True, reason, "codepipeline", str(approver) if approver else None, facts)
