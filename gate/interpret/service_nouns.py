"""Phrases of one service that the request reader (:mod:`gate.interpret.mentions`) must know before the service
catalogue can be imported (``gate.services`` imports the interpreter, so the reader cannot import it).

- A read replica *of a database outside the change* ('a read replica of the existing database orders-prod-pg',
  'cross-region read replica of arn:aws:rds:...') is a resource of its own; 'two read replicas' of a database in
  the change stays a setting of that database.
- A CloudWatch metric written as CloudWatch names it right after its service's noun ('Lambda Errors for the
  function x', 'DynamoDB ReadThrottleEvents') names the metric's service, not a resource to create.
"""

from __future__ import annotations

import re

RDS_REPLICA_OF_EXISTING = (
    r"(?:cross[- ]region\s+)?(?:read[- ])?replicas?(?=\s+(?:of|for|from)\s+(?:the\s+)?"
    r"(?:existing\s+|current\s+|prod(?:uction)?\s+)?(?:(?:rds|aurora|postgres(?:ql)?|mysql|mariadb)\s+)?"
    r"(?:(?:database|db)(?:\s+instance)?\s+|instance\s+)?[\"'`]?(?:arn:aws[a-z-]*:rds:|[a-z][a-z0-9]*-[\w-]+))"
)
CLOUDWATCH_METRIC_AFTER_NOUN = re.compile(
    r"\s+(?:Errors|Throttles|Invocations|Duration|ConcurrentExecutions|IteratorAge|ReadThrottleEvents|"
    r"WriteThrottleEvents|ThrottledRequests|CPUUtilization|FreeStorageSpace|FreeableMemory|DatabaseConnections|"
    r"ReplicaLag|ApproximateNumberOfMessagesVisible|ApproximateAgeOfOldestMessage)\b"
)
