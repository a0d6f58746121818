"""The types a service's words are written in (``gate/services/<name>/lexicon.py``), and the phrase lists they share.

A leaf module: it imports nothing of the gate, so a service folder can use it while the catalogue is being imported
(the engines that read these words, :mod:`gate.interpret.mentions`, :mod:`gate.interpret.lexicon`,
:mod:`gate.interpret.access` and :mod:`gate.interpret.removal`, build their tables from
:data:`gate.services.CATALOG`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One attribute phrase: ``field`` is a top-level field of the resource (or ``tags``); ``positive`` is the
    built value a plain (not negated) phrase means, for yes/no settings (``None``: any non-empty value)."""

    pattern: str
    field: str
    positive: bool | None = None


def entry(pattern: str, field: str, positive: bool | None = None) -> Entry:
    return Entry(pattern, field, positive)


ACCESS = (
    r"read[- ]only|read[- ]write|read(?:s|ing)?|writes?|writing|access|quer(?:y|ies)|scans?|publish(?:es)?|sends?|"
    r"sending|puts?|upload(?:s|ed|ing)?|download(?:s|ing)?|items?|records?|rows?|messages?|objects?|files?|copies|"
    r"copy|invoke[sd]?|permissions?|allowed|actions?|allows?|grants?|manage[sd]?|delete[sd]?|list(?:s|ing)?|gets?|"
    r"full|ind(?:ex|exes|ices)|(?:dynamodb:)?(?:get|put|update|delete|batchget|batchwrite)item|query|scan|"
    r"(?:sqs:)?(?:send|receive|delete)message|(?:s3:)?(?:get|put|delete)object|listbucket"
)
MEMORY = (
    r"\d+(?:\.\d+)?\s*(?:gb|gib|g)?\s+(?:of\s+)?(?:ram|memory)|\d+\s*v-?cpus?|\d+\s*(?:cpu\s+)?cores?|v-?cpus?|"
    r"ram|memory"
)


@dataclass(frozen=True)
class Grantable:
    """A service whose resources an access phrase can name ('reads the bucket x', 'writes to arn:aws:sqs:...'):
    ``prefix`` is its IAM action prefix and ARN service, ``noun`` the words that name one, ``actions`` verb class
    (read / write / delete) -> the actions it grants, one by one."""

    prefix: str
    kind: str
    noun: str
    actions: Mapping[str, list[str]]
    arn_example: str
    example_noun: str | None = None  # how the fix names one ('SQS queue'); None: the fix asks for its ARN

    @property
    def target_head(self) -> str | None:
        """The word a run of named actions names its target by ('s3:GetObject on the bucket reports', 'on the SQS
        queue jobs'): the last word of ``example_noun``, its IAM prefix optional before it; None: only by ARN."""
        return self.example_noun.split()[-1].lower() if self.example_noun else None


@dataclass(frozen=True)
class Lexicon:
    """A service's words: ``nouns`` (spec kind -> head-noun pattern: how a request names a resource of the kind),
    ``words`` (kind -> attribute phrases and the field each sets), ``always`` (kind -> settings the gate always
    builds), ``never`` (kind -> settings it never builds, so a request ruling them out is read), ``removal``
    (kind -> nouns a removal may name it by, besides its kind's words), ``grants``.

    And what the request reader (:mod:`gate.interpret.mentions`) needs so that a resource noun inside one of the
    service's phrases is not read as a resource: ``settings`` (phrases that hold a noun but name a setting: 'IAM
    database authentication', 'ALARM and OK notifications'), ``metric_names`` (its CloudWatch metrics as
    CloudWatch names them: 'Lambda Errors' names a metric, not a function) and ``claims_before`` (another kind ->
    a pattern ending right before that kind's noun that makes the noun part of this service's resource: 'two
    db.r7g.large instances' are a database's instances, not EC2 instances)."""

    nouns: Mapping[str, str] = field(default_factory=dict)
    words: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    always: Mapping[str, str] = field(default_factory=dict)
    never: Mapping[str, str] = field(default_factory=dict)
    removal: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    grants: tuple[Grantable, ...] = ()
    settings: tuple[str, ...] = ()
    metric_names: tuple[str, ...] = ()
    claims_before: Mapping[str, str] = field(default_factory=dict)
