"""Lambda: runtime, memory, timeout, architecture, environment, code, triggers, permissions, placement."""

from __future__ import annotations

import re
from typing import Any, get_args

from gate.errors import GateError
from gate.interpret import access, extract, words
from gate.interpret.base import Ctx, Resource, reference_name
from gate.services.lambda_ import reading
from gate.spec_compute import LambdaRuntime

READ_OBJECT = "s3:GetObject"
RUNTIMES: tuple[str, ...] = get_args(LambdaRuntime)
# runtimes whose code cannot be written inline (CloudFormation's ZipFile is Python and Node.js only)
_COMPILED = ("java", "dotnet", "ruby", "provided")
# 'queue visibility timeout 180 s' is the queue's, not the function's timeout
_DUR = re.sub(r"\(\?P<\w+>", "(?:", extract.DUR)  # a duration, its groups unnamed (used twice below)
_OTHER_TIMEOUT = re.compile(
    rf"(?:\b{_DUR}\s+)?\b(?:queue\s+|message\s+)?visibility(?:\s+time-?outs?)?\b"
    rf"(?:\s*(?:is|of|=|:|to|at)?(?:[^.;,]{{0,20}}?,?\s*(?:so\s+)?)?\b{_DUR})?",
    re.I,
)
_S3_EVENT = re.compile(  # not inside a name ('the bucket uploads-raw')
    r"(?<![\w-])(?:upload\w*(?![\w-])|new\s+(?:files?|objects?|images?)|(?:files?|objects?)\s+(?:are\s+|is\s+)?(?:uploaded|added|"
    r"created|put|land\w*)|object\s+created|put\s+events?|whenever\s+(?:a\s+)?(?:file|object))\b",
    re.I,
)
_S3_DELETE = re.compile(r"\b(?:deleted|removed|deletions?)\b", re.I)
_SQS_EVENT = re.compile(
    r"\b(?:triggered\s+by|consum\w*|process\w*|read\w*|poll\w*|handl\w*|subscrib\w*|fed\s+by|listen\w*)\b[^.;]*?\b(?:sqs|queue)\b|"
    r"\b(?:messages?|jobs?)\s+(?:from|on|in|arriv\w*\s+(?:on|in))\s+(?:the\s+|an?\s+)?(?:sqs\s+)?queue\b|"
    r"\bqueue\b[^.;]*?\btrigger|\bqueue\b[^.;]*?\b(?:processed|consumed|polled|handled|drained|read)\s+by\b",
    re.I,
)
# 'a queue jobs and a Lambda that consumes it': the pronoun is the one queue of the request
_CONSUMES_IT = re.compile(
    r"\b(?:consum\w*|poll\w*|drain\w*|process\w*|reads?\s+from|triggered\s+by|invoked\s+by|fed\s+by)\s+(?:it|them)\b",
    re.I,
)
_ENV = re.compile(
    r"\b(?i:env(?:ironment)?\s*(?:var(?:iable)?s?)?)\s*:?\s*((?:[A-Z][A-Z0-9_]*\s*=\s*[^\s,;]+(?:\s*(?:,|and)\s*)?)+)"
)


_EXISTING_QUEUE = re.compile(r"(?<![\w/-])arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+(?<!\.)")
_SENT_TO = re.compile(
    r"\b(?:go(?:es)?|sent|send|move[ds]?|park(?:ed)?|deliver(?:ed)?)\s+to\b|dlq|dead[- ]letter|destination", re.I
)


def _batching(text: str) -> dict[str, int]:
    """'in batches of 5', '10 messages at a time', 'max batching window 5 seconds'."""
    out: dict[str, int] = {}
    batch = re.search(r"\bbatch(?:es)?\s+(?:size\s+)?(?:of\s+)?(\d+)|\b(\d+)\s+messages?\s+at\s+a\s+time", text, re.I)
    if batch:
        out["batch_size"] = int(batch.group(1) or batch.group(2))
    window = re.search(r"\bbatching\s+window\s+(?:of\s+)?(\d+)\s*(?:s|secs?|seconds?)\b", text, re.I)
    if window:
        out["batching_window_s"] = min(300, int(window.group(1)))
    return out


def _consumes_elsewhere(ctx: Ctx) -> bool:
    """'an SQS queue named jobs processed by a lambda named worker': the queue's text says the function consumes it,
    unless the function's own text only sends to queues (names masked: 'consumer' is a name, not a verb)."""
    whole = ctx.request
    for name in sorted((n for names in ctx.names.values() for n in names), key=len, reverse=True):
        whole = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", "NAMEREF", whole, flags=re.I)
    if not _SQS_EVENT.search(whole):
        return False
    found, _ = access.read_grants(ctx, ctx.access_text)
    queues = set(ctx.names.get("sqs_queue", []))
    sends = [g for g in found if set(g.resource_refs) & queues]
    return not sends or any("sqs:ReceiveMessage" in g.actions for g in sends)


def _read_source(ctx: Ctx, name: str, permissions: list[dict[str, Any]], bucket: str) -> None:
    """A bucket whose uploads trigger the function is read by it (s3:GetObject), never written unless asked."""
    same = next((p for p in permissions if p["resource_refs"] == [bucket] and not p["resources"]), None)
    if same is not None and READ_OBJECT in same["actions"]:
        return
    if same is not None:
        same["actions"] = [READ_OBJECT, *same["actions"]]
    else:
        permissions.append({"actions": [READ_OBJECT], "resource_refs": [bucket], "resources": []})
    ctx.assume(
        name,
        "permissions",
        f"{READ_OBJECT} on {bucket}",
        "the function reads the objects whose upload triggers it; it gets no write access to that bucket",
    )


def _fed_by_stream(ctx: Ctx) -> dict[str, Any] | None:
    """'Table cart-events with a stream of new images feeding a Lambda cart-projector': the one table's stream
    invokes the function although the function's own text does not say so."""
    tables = ctx.names.get("dynamodb_table", [])
    feeds = re.search(
        r"\bstreams?\b(?:[^.;]|\.(?=\S)){0,80}?\b(?:feed\w*|trigger\w*|invok\w*|sent\s+to|to|into)\s+(?:a\s+|the\s+|an?\s+new\s+)?"
        r"(?:lambda|function)\b",
        ctx.request,
        re.I,
    )
    if not feeds or len(tables) != 1 or len(ctx.names.get("lambda_function", [])) != 1:
        return None
    out: dict[str, Any] = {"type": "dynamodb", "table_ref": tables[0]}
    position = re.search(r"\b(latest|trim[_ ]horizon)\b", ctx.text, re.I)
    if position:
        out["starting_position"] = position.group(1).upper().replace(" ", "_")
    return out


class LambdaRecogniser:
    kind = "lambda_function"
    default_name = "function"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text, whole = ctx.text, ctx.request
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        found = words.runtime(text) or words.runtime(whole)
        if found is None:
            runtime = "python3.12"
            ctx.assume(name, "runtime", runtime, "the request names no runtime")
        else:
            runtime, given = found
            if runtime not in RUNTIMES:
                raise GateError(
                    f"the request asks for the Lambda runtime {runtime}, which the gate does not offer",
                    fix="use one of " + ", ".join(RUNTIMES) + ", e.g. 'a Lambda function on python3.12'",
                )
            if not given:
                ctx.assume(name, "runtime", runtime, "the request names the language but no version")
        out["runtime"] = runtime
        memory = extract.size_near(text, r"memory|ram|mem")
        if memory is None and (sizes := extract.sizes_gb(text)):
            memory = sizes[0]
        if memory is not None:
            out["memory_mb"] = max(128, min(10240, round(memory * 1024)))
        timeout = extract.duration_near(
            _OTHER_TIMEOUT.sub(" ", text),
            r"time-?outs?|time\s+limit|max(?:imum)?\s+duration|runs?\s+(?:for\s+)?up\s+to",
        )
        if timeout is not None:
            out["timeout_s"] = max(1, min(900, timeout))
        if re.search(r"\bx86(?:_64)?\b|\bintel\b|\bamd64\b", text, re.I):
            out["architecture"] = "x86_64"
        env = _ENV.search(text)
        if env:
            pairs = re.findall(r"([A-Z][A-Z0-9_]*)\s*=\s*([^\s,;]+)", env.group(1))
            out["environment"] = {k: v for k, v in pairs}
        handler = re.search(r"\bhandler\s+(?:is\s+|of\s+)?[\"'`]?([A-Za-z0-9_.$:/-]+\.[A-Za-z0-9_$]+)", text, re.I)
        if handler:
            out["handler"] = handler.group(1)
        out["code"] = self._code(ctx, name, runtime)
        triggers = self._triggers(ctx, name)
        if triggers:
            out["triggers"] = triggers
        role = reading.role_arn(ctx, name, text)
        if role:
            out["role_arn"] = role
        permissions = [g.statement() for g in access.grants(ctx, ctx.access_text, name)]
        for trigger in triggers:
            if trigger["type"] == "s3":
                _read_source(ctx, name, permissions, trigger["bucket_ref"])
        if permissions and role:
            ctx.assume(name, "not-applied", f"{len(permissions)} permission(s) for the function's role",
                       f"the function runs as the existing role {role}, whose permissions the gate does not change: "
                       "grant them on that role in its own reviewed change")  # fmt: skip
        elif permissions:
            out["permissions"] = permissions
        concurrency = re.search(
            r"(?<!provisioned\s)\b(?:reserved\s+)?concurrency\s+(?:of\s+|limit\s+(?:of\s+)?)?(\d+)|"
            r"\b(\d+)\s+reserved\s+concurren\w+(?:\s+executions?)?|\breserved\s+concurren\w+\s+(?:of\s+)?(\d+)",
            text,
            re.I,
        )
        if concurrency:
            out["reserved_concurrency"] = int(next(g for g in concurrency.groups() if g))
        dlq = reading.dead_letter_arn(text)
        if dlq:
            out["dead_letter_arn"] = dlq
        function_url = reading.url(ctx, name, text)
        if function_url:
            out["url"] = function_url
        published = reading.alias(ctx, name, text)
        if published:
            out["alias"] = published
        retention = extract.duration_near(text, r"log(?:s|\s+retention)")
        if retention:
            out["log_retention_days"] = max(1, min(3653, extract.days(retention)))
        vpc = ctx.ref_to("vpc", whole)
        if vpc and re.search(r"\b(?:in|inside|within)\s+(?:the\s+|a\s+)?(?:vpc|private\s+subnets?)\b", whole, re.I):
            out["vpc_ref"] = vpc
        return out

    def _code(self, ctx: Ctx, name: str, runtime: str) -> dict[str, Any]:
        text = ctx.text
        loc = re.search(
            r"\bcode\b[^.;]*?\b(?:bucket|s3://)\s*[\"'`]?([a-z0-9][a-z0-9.-]+[a-z0-9])[\"'`]?(?:/|\s+(?:at\s+|under\s+)?"
            r"(?:key|path)?\s*)[\"'`]?([\w./-]+\.(?:zip|jar))",
            text,
            re.I,
        ) or re.search(r"\bs3://([a-z0-9][a-z0-9.-]+[a-z0-9])/([\w./-]+\.(?:zip|jar))", text, re.I)
        if loc:
            bucket, key = loc.group(1).lower(), loc.group(2)
            if bucket in ctx.names.get("s3_bucket", []):
                return {"s3_bucket_ref": bucket, "s3_key": key}
            return {"s3_bucket": bucket, "s3_key": key}
        if runtime.startswith(_COMPILED):
            ctx.assume(name, "code", "deploy-time parameters (bucket and key of the package)",
                       f"a {runtime} function needs its built package and the request does not say where it is: the "
                       "template takes the zip's S3 bucket and key as parameters (Terraform variables) to give at "
                       "deploy time; or say where it is, e.g. 'code in s3://my-artifacts/app.zip'")  # fmt: skip
            return {"deploy_parameter": True}
        ctx.assume(name, "code", "inline placeholder handler", "the request gives no code; deploy your package later")
        if runtime.startswith("python"):
            return {"inline": "def handler(event, context):\n    return {'ok': True}\n"}
        return {"inline": "exports.handler = async () => ({ ok: true });\n"}

    def _triggers(self, ctx: Ctx, name: str) -> list[dict[str, Any]]:
        text, whole = ctx.text, ctx.request
        out: list[dict[str, Any]] = []
        schedule = words.schedule(text)
        if schedule:
            out.append({"type": "schedule", "expression": schedule.expression})
        if _S3_EVENT.search(text) or re.search(r"\btriggered\s+by\b[^.;]*\b(?:bucket|s3)\b", text, re.I):
            bucket = self._bucket(ctx, name)
            if bucket:
                trigger: dict[str, Any] = {"type": "s3", "bucket_ref": bucket}
                if _S3_DELETE.search(text) and not _S3_EVENT.search(text):
                    trigger["events"] = ["s3:ObjectRemoved:*"]
                suffix = re.search(r"(?<![\w])(\.[a-z0-9]{2,5})\s+files?\b|\bsuffix\s+[\"'`]?([\w.-]+)", text, re.I)
                if suffix:
                    trigger["suffix"] = suffix.group(1) or suffix.group(2)
                prefix = re.search(
                    r"\b(?:under|in|with)\s+(?:the\s+)?(?:prefix|folder)\s+[\"'`]?([\w./-]+)|\bprefix\s+[\"'`]?([\w./-]+)",
                    text,
                    re.I,
                )
                if prefix:
                    trigger["prefix"] = prefix.group(1) or prefix.group(2)
                out.append(trigger)
        stream = reading.stream_trigger(ctx, text) or _fed_by_stream(ctx)
        if stream:
            out.append(stream)
        existing = _EXISTING_QUEUE.search(text)
        if existing and _SENT_TO.search(text[max(0, existing.start() - 40) : existing.start()]):
            existing = None  # 'failures go to the existing queue arn:...': a destination, not a trigger
        if existing:  # 'wire the existing queue arn:aws:sqs:... to a new function': it triggers the function
            out.append({"type": "sqs", "queue_arn": existing.group(0), **_batching(text)})
        elif (
            _SQS_EVENT.search(text)
            or (_consumes_elsewhere(ctx) and ctx.names.get("sqs_queue"))
            or (_CONSUMES_IT.search(text) and len(ctx.names.get("sqs_queue", [])) == 1)
        ):
            queue = ctx.ref_to("sqs_queue", text) or ctx.ref_to("sqs_queue", whole)
            if queue is None and _CONSUMES_IT.search(text) and len(ctx.names.get("sqs_queue", [])) == 1:
                queue = ctx.names["sqs_queue"][0]
            if queue is None and (given := reference_name(text, r"sqs\s+queue|queue")):
                queue = self._add(ctx, "sqs_queue", given, name, "the queue that triggers the function")
            if queue:
                out.append({"type": "sqs", "queue_ref": queue, **_batching(text)})
        return out

    def _bucket(self, ctx: Ctx, name: str) -> str | None:
        text, whole = ctx.text, ctx.request
        given = reference_name(text, r"s3\s+bucket|bucket|s3") or reference_name(whole, r"s3\s+bucket|bucket")
        names = ctx.names.get("s3_bucket", [])
        if given and extract.kebab(given) in names:
            return extract.kebab(given)
        if given is None:
            return (
                names[0]
                if names
                else self._add(ctx, "s3_bucket", "uploads", name, "the bucket whose uploads trigger it")
            )
        return self._add(ctx, "s3_bucket", given, name, "the bucket whose uploads trigger the function")

    def _add(self, ctx: Ctx, kind: str, given: str, owner: str, why: str) -> str:
        """A resource the trigger needs that the request only refers to: created here, and said so."""
        res_name = ctx.claim(given)
        extra: dict[str, Any] = {"kind": kind, "name": res_name}
        if kind == "s3_bucket" and given != "uploads":
            extra["bucket_name"] = given.lower()
        ctx.extra.append(extra)
        ctx.names.setdefault(kind, []).append(res_name)
        ctx.assume(
            res_name,
            "created",
            "by this change",
            f"{why} ({owner}); a trigger needs the {kind.replace('_', ' ')} in the same stack. If it already exists, "
            "import it into the stack instead",
        )
        return res_name
