"""Requests that ask for no infrastructure change: build nothing, and answer clearly.

- object operations: 'list what's in s3://builds/releases/', 'upload the attached CSV exports into our bucket x',
  'download the logs from the bucket y': the gate changes infrastructure, not the objects in it;
- questions about what is deployed: 'which policies are attached to the prod-deployer role? just list them, don't
  change anything'.

Only a request that creates no new resource is read this way; the spec then has no resources and an ``answer``
(what to do instead), and a ``not-applied`` note quotes what was asked, so the plan never passes as a change.
"""

from __future__ import annotations

import re

from gate.spec import Assumption, ChangeSpec, Reading

_S3_URL = re.compile(r"\bs3://[a-z0-9][a-z0-9.-]*[a-z0-9](?:/[^\s?,;)]*)?", re.I)
_OBJECT_VERB = (
    r"list|listing|show|upload|uploading|download|downloading|copy|copying|sync|syncing|fetch|restore|move|put|get|"
    r"grab|pull|push|drop|send|empty"
)
_OBJECTS = (
    r"files?|objects?|csvs?|exports?|tarballs?|archives?|artifacts?|images?|photos?|documents?|docs|dumps?|"
    r"contents?|keys?|uploads?|reports?|zips?|backups?"
)
_OBJECT_OP = re.compile(
    rf"\b(?:{_OBJECT_VERB})\b\s+(?:(?:the|these|those|our|my|all|every|attached|new|latest|\d+)\s+)*"
    rf"(?:[\w.-]+\s+){{0,2}}?(?:{_OBJECTS})\b|\bwhat'?s\s+in\s+s3://|\b(?:{_OBJECT_VERB})\b[^.?!]*?\bs3://",
    re.I,
)
_QUESTION = re.compile(
    r"^\s*(?:quick\s+)?(?:\w+\s+){0,2}?question\b|\b(?:which|what|who|how\s+many)\b[^.?!]*\?|"
    r"\b(?:can|could)\s+(?:someone|you|anyone)\s+(?:list|show|tell|check)\b",
    re.I,
)
_NO_CHANGE = re.compile(
    r"\b(?:don'?t|do\s+not)\s+change\s+anything\b|\bno\s+(?:new\s+)?(?:infra(?:structure)?|resources?|changes?)\s+"
    r"(?:needed|required|necessary|to\s+(?:build|create|make))|\bjust\s+(?:list|show|tell)\b|"
    r"\bread[- ]only\s+question\b|\bnothing\s+(?:new\s+)?to\s+(?:build|create|deploy)\b",
    re.I,
)


def read(request: str, summary: str) -> ChangeSpec | None:
    """An answer in place of a change, when the request asks for no infrastructure change (else None)."""
    url = _S3_URL.search(request)
    objects = _OBJECT_OP.search(request)
    question = _QUESTION.search(request)
    said = _NO_CHANGE.search(request)
    if objects and (url or said or re.search(r"\b(?:existing|our|the)\s+(?:s3\s+)?bucket\b", request, re.I)):
        where = f" ({url.group(0)})" if url else ""
        example = f"aws s3 ls {url.group(0)}" if url else "aws s3 cp FILE s3://BUCKET/PREFIX/"
        answer = (f"Nothing to build: the request works on objects{where}, and the gate changes infrastructure "
                  "(buckets, roles, queues and their settings), not the objects in it. Do it with the AWS CLI or "
                  f"console, e.g. `{example}`; ask the gate for a new bucket or a change to its settings.")  # fmt: skip
        what = "object operations (listing, uploading or downloading objects)"
        quoted = _sentence(request, objects.start())
    elif question and (said or request.rstrip().endswith("?") or re.search(r"\?\s", request)):
        answer = ("Nothing to build: the request asks a question about what is deployed, and the gate changes "
                  "infrastructure; it does not look resources up. Read it with the AWS CLI or console (e.g. `aws iam "
                  "list-attached-role-policies --role-name NAME`), or ask the gate for a change.")  # fmt: skip
        what = "a question about existing resources (nothing to change)"
        quoted = _sentence(request, question.start())
    else:
        return None
    note = Assumption(resource=None, field="not-applied", value=f"{what}: {quoted.strip()!r}"[:300],
                      reason="not an infrastructure change: " + answer)  # fmt: skip
    # the whole request is read as this one answer ("Read as" shows it), so no word of it is left unplaced
    reading = Reading(start=0, end=len(request), text=request[:500], field="answer", value=what[:200])
    return ChangeSpec(summary=summary, resources=[], answer=answer, assumptions=[note], readings=[reading])


def _sentence(request: str, at: int) -> str:
    """The sentence of ``request`` around ``at`` (what the reviewer reads as asked)."""
    start = max(request.rfind(". ", 0, at), request.rfind("? ", 0, at), request.rfind("! ", 0, at))
    start = 0 if start < 0 else start + 2
    ends = [e for e in (request.find(". ", at), request.find("? ", at), request.find("! ", at)) if e >= 0]
    return request[start : min(ends) + 1 if ends else len(request)][:200]
