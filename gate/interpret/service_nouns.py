"""Phrases of one service that the request reader (:mod:`gate.interpret.mentions`) must know before the service
catalogue can be imported (``gate.services`` imports the interpreter, so the reader cannot import it).

- A read replica *of a database outside the change* ('a read replica of the existing database orders-prod-pg',
  'cross-region read replica of arn:aws:rds:...') is a resource of its own; 'two read replicas' of a database in
  the change stays a setting of that database.
- A CloudWatch metric written as CloudWatch names it right after its service's noun ('Lambda Errors for the
  function x', 'DynamoDB ReadThrottleEvents') names the metric's service, not a resource to create.
- Settings that hold a resource noun: 'ALARM and OK notifications' (alarm states, not a second alarm), 'IAM
  database authentication' (a setting of the database, not another one); 'two db.r7g.large instances' and 'an
  Aurora cluster with 3 instances' are a database's instances, not EC2 instances.
"""

from __future__ import annotations

import re

RDS_REPLICA_OF_EXISTING = (  # 'a Postgres read replica of ...' is the replica, not a database and a replica
    r"(?:(?:postgres(?:ql)?|mysql|mariadb)\s+)?(?:cross[- ]region\s+)?(?:read[- ])?replicas?"
    r"(?=\s+(?:of|for|from)\s+(?:the\s+)?"
    r"(?:existing\s+|current\s+|prod(?:uction)?\s+)?(?:(?:rds|aurora|postgres(?:ql)?|mysql|mariadb)\s+)?"
    r"(?:(?:database|db)(?:\s+instance)?\s+|instance\s+)?[\"'`]?(?:arn:aws[a-z-]*:rds:|[a-z][a-z0-9]*-[\w-]+))"
)
CLOUDWATCH_METRIC_AFTER_NOUN = re.compile(
    r"\s+(?:Errors|Throttles|Invocations|Duration|ConcurrentExecutions|IteratorAge|ReadThrottleEvents|"
    r"WriteThrottleEvents|ThrottledRequests|CPUUtilization|FreeStorageSpace|FreeableMemory|DatabaseConnections|"
    r"ReplicaLag|ApproximateNumberOfMessagesVisible|ApproximateAgeOfOldestMessage)\b"
)
MORE_SETTINGS = (
    r"(?:alarm|ok)\s+(?:and|or|/|&)\s+(?:ok|alarm)(?:\s+(?:notifications?|actions?|states?))?|"
    r"iam\s+(?:database|db)\s+auth\w*"
)
DB_CLASS_BEFORE = re.compile(
    r"\bdb\.[a-z0-9]+\.[a-z0-9]+\s+$|\b(?:aurora|rds|database|db|postgres(?:ql)?|mysql|redis|valkey)\b[^.;]{0,30}"
    r"\bclusters?\b[^.;]{0,50}?\bwith\s+(?:[\w.-]+\s+){0,2}$",
    re.I,
)
