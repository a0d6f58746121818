"""Narrow a role's policy from what it really did: CloudTrail-style records -> the actions it used, on the
resources it used them on -> a least-privilege policy, and what the current policy grants beyond that.

Records are CloudTrail's JSON (``{"Records": [...]}``, a list, or JSON lines).  A call that failed
(``errorCode``) is not a use.  CloudTrail event names are mostly IAM action names; the exceptions we know
(S3's ``ListObjects`` is ``s3:ListBucket``, Lambda's ``Invoke`` is ``lambda:InvokeFunction`` ...) are in
``_EVENT_ACTIONS``.  The result is only as complete as the records: actions used less often than the window
covers are missing, and S3/Lambda data events appear only when the trail records data events.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from gate.errors import GateError

_SOURCE_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "streams.dynamodb": "dynamodb"}
_EVENT_ACTIONS = {
    "s3:ListObjects": "s3:ListBucket", "s3:ListObjectsV2": "s3:ListBucket", "s3:HeadBucket": "s3:ListBucket",
    "s3:HeadObject": "s3:GetObject", "s3:ListObjectVersions": "s3:ListBucketVersions",
    "s3:CreateMultipartUpload": "s3:PutObject", "s3:UploadPart": "s3:PutObject",
    "s3:CompleteMultipartUpload": "s3:PutObject", "s3:UploadPartCopy": "s3:PutObject", "s3:CopyObject": "s3:PutObject",
    "s3:DeleteObjects": "s3:DeleteObject", "lambda:Invoke": "lambda:InvokeFunction",
    "dynamodb:BatchGetItem": "dynamodb:BatchGetItem",
}  # fmt: skip
_VERSIONED = re.compile(r"^(?P<name>[A-Za-z]+?)(?:\d{8}(?:v\d+)?)$")
_S3_OBJECT = re.compile(r"^(arn:[^:]+:s3:::[^/]+)/.+$")


@dataclass
class Usage:
    role: str
    actions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # action -> resources
    denied: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None
    records: int = 0


def load_records(text: str, source: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise GateError(
                "is not CloudTrail JSON", source=source, fix="pass the Records JSON (or JSON lines) from CloudTrail"
            ) from exc
    records = data.get("Records") if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise GateError("has no list of records", source=source, fix='pass {"Records": [...]} or a JSON list')
    return records


def role_of(record: dict[str, Any]) -> str | None:
    identity = record.get("userIdentity") or {}
    issuer = ((identity.get("sessionContext") or {}).get("sessionIssuer")) or {}
    if issuer.get("type") == "Role" and issuer.get("userName"):
        return str(issuer["userName"])
    arn = str(identity.get("arn", ""))
    match = re.search(r":assumed-role/([^/]+)/", arn) or re.search(r":role/(?:.*/)?([^/]+)$", arn)
    return match.group(1) if match else None


def action_of(record: dict[str, Any]) -> str | None:
    source, name = str(record.get("eventSource", "")), str(record.get("eventName", ""))
    if not source or not name:
        return None
    prefix = source.removesuffix(".amazonaws.com")
    prefix = _SOURCE_PREFIX.get(prefix, prefix.split(".")[0])
    versioned = _VERSIONED.match(name)
    name = versioned.group("name") if versioned else name
    action = f"{prefix}:{name}"
    return _EVENT_ACTIONS.get(action, action)


def _resources(record: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for res in record.get("resources") or []:
        arn = str((res or {}).get("ARN") or (res or {}).get("arn") or "")
        if arn:
            obj = _S3_OBJECT.match(arn)
            out.add(f"{obj.group(1)}/*" if obj else arn)
    return out


def usage(records: list[dict[str, Any]], role: str | None) -> Usage:
    roles = sorted({r for r in (role_of(rec) for rec in records) if r})
    if role is None:
        if len(roles) != 1:
            raise GateError(
                f"the records hold {len(roles)} roles ({', '.join(roles[:10]) or 'none'})",
                fix="pass --role NAME to choose one",
            )
        role = roles[0]
    elif role not in roles:
        raise GateError(f"no record of role {role!r}", fix=f"use one of: {', '.join(roles[:10]) or '(none found)'}")
    found = Usage(role=role)
    for rec in records:
        if role_of(rec) != role:
            continue
        action = action_of(rec)
        if action is None:
            continue
        found.records += 1
        when = str(rec.get("eventTime", "")) or None
        if when:
            found.first = min(found.first or when, when)
            found.last = max(found.last or when, when)
        if rec.get("errorCode"):
            found.denied.add(action)
            continue
        found.actions[action].update(_resources(rec) or {"*"})
    return found


def proposed_policy(used: Usage) -> dict[str, Any]:
    """Statements grouped by the resource set their actions used (``*`` only where the records name none)."""
    by_resources: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for action, resources in sorted(used.actions.items()):
        key = ("*",) if "*" in resources else tuple(sorted(resources))
        by_resources[key].append(action)
    statements = []
    for index, (arns, actions) in enumerate(sorted(by_resources.items(), key=lambda kv: kv[1][0]), 1):
        statements.append(
            {
                "Sid": f"Used{index}",
                "Effect": "Allow",
                "Action": sorted(actions),
                "Resource": list(arns) if len(arns) > 1 else arns[0],
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def granted_actions(policy: dict[str, Any]) -> list[str]:
    out: list[str] = []
    statements = policy.get("Statement") or []
    for st in statements if isinstance(statements, list) else [statements]:
        if isinstance(st, dict) and st.get("Effect") == "Allow":
            actions = st.get("Action") or []
            out.extend(str(a) for a in (actions if isinstance(actions, list) else [actions]))
    return out


def unused_grants(current: dict[str, Any], used: Usage) -> list[str]:
    """Granted action patterns that no recorded call matched: what narrowing takes away."""
    return [
        pattern
        for pattern in granted_actions(current)
        if not any(fnmatch.fnmatchcase(a.lower(), pattern.lower()) for a in used.actions)
    ]
