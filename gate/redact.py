"""Secrets are detected, never echoed: one set of patterns, used by the secrets check (to find them) and by
every output that could repeat them (comment, SARIF, audit log, console lines, the stored request text).

A match is replaced by ``[REDACTED:<kind>]``; for ``key = value`` forms only the value goes, so the reader
still sees *where* the secret was.  References to secret stores (``{{resolve:secretsmanager:...}}``,
``!Ref DbPassword``, ``${var.password}``) are not secrets and are left alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# A value that is a reference, not a literal: a dynamic reference, an intrinsic, an interpolation, a
# placeholder, an ARN or alias, a function call (``jsonencode(...)``), or our own redaction marker.
_NOT_LITERAL = (
    r"(?!\{\{resolve:|!|\$\{|\$\(|\{|<|\[REDACTED|\*{3,}|x{4,}\b|changeme\b|null\b|none\b|true\b|false\b"
    r"|required\b|(?:var|local|data|module)\.|(?:aws|random)_[a-z0-9_]+\.|arn:|alias/|[a-z_][a-z0-9_.]*\()"
)
# The same for a whole secret value, which may be a JSON document ('{"username": "app", ...}').
_NOT_LITERAL_JSON = _NOT_LITERAL.replace(r"|\{|", "|")
# Names that hold a secret, matched by how they end (the value is what goes; a prefix such as DB_ or
# MYSQL_ROOT_ needs no matching, and matching it would cost quadratic time on long words): *password, *passwd,
# *passphrase, *secret, *token, *_PASS, PWD, *api_key, *secret_key, *private_key, *signing_key.  ``pass`` only after
# a separator (DB_PASS; not "bypass", nor a bare "pass"); nothing right after ':' or '/'
# (arn:aws:secretsmanager:...:secret:prod/db is a name, not a key).
_KEY = (
    r"(?<![:/])(?:password|passwd|passphrase|secret|token|(?<=[_.-])pass|(?<![a-z0-9])pwd|(?<=[_.-])pwd"
    r"|(?:api|secret|private|signing)[_-]?key)"
)
_KEY_NAME = r"[\w.-]{0,64}?" + _KEY  # a whole name (DB_PASSWORD), for name/value pairs
# The value: the whole quoted string (any characters, '&', ';' and ',' included), or an unquoted word without
# the punctuation that ends it in flow YAML, JSON or a shell line.
_VALUE = (
    r"(?:\"" + _NOT_LITERAL + r"((?:[^\"\\\n]|\\.){4,})\"|'" + _NOT_LITERAL + r"([^'\n]{4,})'"
    r"|(?![\"'])" + _NOT_LITERAL + r"([^\s\"'`]{5,}[^\s\"'`,;&)}\]]))"
)
# "the password is X" (prose): X is a secret unless it is a word that says something *about* the secret, so
# "Ensure the secret is encrypted", "the token is rotated daily", "the password is required" are left alone
# while "the password is swordfish" is not. Such words: participles and adjectives by their ending, and a list.
_DESCRIBES_IT = (
    r"(?![a-z]*(?:ed|en|ing|ly|able|ible|ive|ful|less|ous|al|ent|ant)\b)"
    r"(?!(?:a|an|the|not|never|always|also|only|now|still|set|unset|empty|blank|missing|optional|secure|strong"
    r"|weak|long|short|unique|random|valid|invalid|wrong|correct|right|known|unknown|secret|safe|unsafe|ok|okay"
    r"|fine|there|here|this|that|it|in|at|on|of|for|from|by|with|within|under|inside|kept|held|hidden|shown"
    r"|available|stored|same|different|new|old|current|too|very|so|as|part|one|same|mine|yours|ours|theirs"
    r"|specific|static|dynamic|rotatable|sensitive|private|public|plain|plaintext|none|null|nil|true|false"
    r"|free|due|out|up|down|off|over|good|bad|less|more|stale|live|temporary|permanent|per|each|every)\b)"
)
_PROSE_LOOKS_LIKE_ONE = r"(?=[^\s.,;:!?]*(?:[0-9@#$%^&*+=_/\\-]|(?-i:[a-z][A-Z])))"
_PROSE_VALUE = (
    r"(?:"
    + _PROSE_LOOKS_LIKE_ONE
    + r"|(?=[\"'`]?[A-Za-z]{4,64}[\"'`]?(?:[\s.,;:!?)]|\Z))"
    + _DESCRIBES_IT
    + r")"
    + _NOT_LITERAL
    + r"[\"'`]?([^\s\"'`]*[^\s\"'`.,;:!?)])"
)
_ASSIGN = r"[\"']?[ \t]*(?::=|=>|[:=])[ \t]*"  # on one line: "password:\n  Ref: X" is not a value

FIRST_GROUP = -1  # the secret is in whichever group took part in the match


# (kind, pattern, group holding the secret: 0 = whole match, FIRST_GROUP = the first group that matched).
# Listed from the most specific to the most general: where matches overlap, the earlier kind wins.
PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (
        "private-key",
        # PEM (RSA, EC, DSA, OPENSSH, ENCRYPTED, plain PKCS#8) and PGP ("PGP PRIVATE KEY BLOCK"), any case; a
        # block without its END line is redacted to the end of the text
        re.compile(
            r"(?i)-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY[ A-Z0-9]{0,20}-----[\s\S]*?"
            r"(?:-----END[ A-Z0-9]{0,40}PRIVATE KEY[ A-Z0-9]{0,20}-----|\Z)"
        ),
        0,
    ),
    ("aws-access-key-id", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"), 0),
    (
        "aws-secret-access-key",
        re.compile(
            r"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)[\"']?\s*[:=]\s*[\"']?"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        1,
    ),
    (
        "github-token",
        re.compile(
            r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"
        ),
        0,
    ),
    ("slack-token", re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}"), 0),
    (
        "slack-webhook",
        re.compile(r"(?i)https?://hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{8,}"),
        0,
    ),
    ("stripe-key", re.compile(r"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}(?![A-Za-z0-9_])"), 0),
    (
        # scheme://user:password@host (database URLs, git remotes, broker URLs): only the password goes
        "connection-string-password",
        re.compile(
            r"(?i)\b[a-z][a-z0-9+.-]{1,30}://[^\s:/@\"'<>]{0,256}:" + _NOT_LITERAL + r"([^\s/\"'<>`]{1,256})@(?=[\w\[])"
        ),
        1,
    ),
    (
        # AWS::SecretsManager::Secret SecretString / aws_secretsmanager_secret_version secret_string: any literal
        "secret-string",
        re.compile(
            r"(?i)\bsecret_?string(?:[\"'][ \t]*[:=][ \t]*|[ \t]*=[ \t]*|:[ \t]+)"
            + rf"(?:\"{_NOT_LITERAL_JSON}((?:[^\"\\\n]|\\.)+)\"|'{_NOT_LITERAL_JSON}([^'\n]+)'"
            + rf"|(?![\"'|>]){_NOT_LITERAL_JSON}([^\s#][^\n#]*))"
        ),
        FIRST_GROUP,
    ),
    (
        # ECS / Lambda / CodeBuild environment as a name/value pair: {Name: DB_PASSWORD, Value: literal}
        "password",
        re.compile(
            r"(?i)\bname" + _ASSIGN + r"[\"']?" + _KEY_NAME + r"[\"']?\s*(?:,\s*|\n\s*)[\"']?value" + _ASSIGN + _VALUE
        ),
        FIRST_GROUP,
    ),
    ("password", re.compile(r"(?i)" + _KEY + _ASSIGN + _VALUE), FIRST_GROUP),
    ("password", re.compile(r"(?i)" + _KEY + r"\s+is\s+" + _PROSE_VALUE), 1),
)


# Where a match of each pattern above can start (same order): at one of these words, in any case (a superset of
# the real starts; the pattern then decides), or, for a URL's password, 2 to 31 characters before its '://' (the
# scheme). Scanning a big output (a 600-resource report.html is megabytes) for them with ``str.find`` on its
# lower case and trying the pattern only there gives exactly ``finditer``'s matches in a fraction of the time
# (tests/test_redact_fast.py compares them on the gate's own outputs and on random text).
_KEY_WORDS = ("pass", "pwd", "secret", "token", "api", "private", "signing")
STARTS: tuple[tuple[tuple[str, ...], int, int], ...] = (
    (("-----begin",), 0, 0),  # private-key
    (("akia", "asia", "abia", "acca"), 0, 0),  # aws-access-key-id
    (("aws", "secret"), 0, 0),  # aws-secret-access-key
    (("gh", "github"), 0, 0),  # github-token (gh?_, github_pat_)
    (("xox",), 0, 0),  # slack-token
    (("http",), 0, 0),  # slack-webhook
    (("sk_", "rk_"), 0, 0),  # stripe-key
    (("://",), 2, 31),  # connection-string-password: its scheme, 2 to 31 characters, comes before '://'
    (("secret",), 0, 0),  # secret-string
    (("name",), 0, 0),  # password as a name/value pair
    (_KEY_WORDS, 0, 0),  # password = value
    (_KEY_WORDS, 0, 0),  # the password is value
)
# The characters whose lower case is not one character, or that (?i) matches to an ASCII letter (dotted I, dotless i,
# long s, Kelvin sign): where one occurs, str.lower() positions are not the pattern's, so such a text takes
# finditer everywhere.
FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _matches(index: int, pattern: re.Pattern[str], text: str, lower: str | None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, found from the candidate starts of ``STARTS`` (``lower``: text.lower())."""
    if lower is None:
        yield from pattern.finditer(text)
        return
    words, near, far = STARTS[index]
    found = {at for word in words for at in _find_all(lower, word)}
    starts = sorted({b for at in found for b in range(max(0, at - far), at - near + 1)} if far else found)
    done = 0
    for at in starts:
        if at < done:  # inside the previous match: finditer would not start there either
            continue
        match = pattern.match(text, at)
        if match is not None:
            yield match
            done = match.end()


def _find_all(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


@dataclass(frozen=True)
class SecretHit:
    kind: str
    line: int  # 1-based
    start: int
    end: int


def find_secrets(text: str, *, exhaustive: bool = False) -> list[SecretHit]:
    """Every secret in ``text`` (overlaps resolved in favour of the more specific kind, listed first).
    ``exhaustive``: every pattern tried at every position (``finditer``), the reference the fast path must equal."""
    spans: list[tuple[int, int, str]] = []  # kept sorted; taken spans never overlap each other
    lower = None if exhaustive or FOLDS_TO_ASCII.intersection(text) else text.lower()
    for index, (kind, pattern, group) in enumerate(PATTERNS):
        for match in _matches(index, pattern, text, lower):
            at = group
            if at == FIRST_GROUP:
                at = next(i for i in range(1, pattern.groups + 1) if match.group(i) is not None)
            start, end = match.span(at)
            index = bisect.bisect_left(spans, (start, end, kind))
            if (index > 0 and spans[index - 1][1] > start) or (index < len(spans) and spans[index][0] < end):
                continue
            spans.insert(index, (start, end, kind))
    hits: list[SecretHit] = []
    line, counted = 1, 0
    for start, end, kind in spans:
        line += text.count("\n", counted, start)
        counted = start
        hits.append(SecretHit(kind, line, start, end))
    return hits


def redact(text: str) -> str:
    """``text`` with every secret replaced by ``[REDACTED:<kind>]``."""
    if not text:
        return text
    parts: list[str] = []
    done = 0
    for hit in find_secrets(text):
        parts += [text[done : hit.start], f"[REDACTED:{hit.kind}]"]
        done = hit.end
    return "".join([*parts, text[done:]])


@lru_cache(maxsize=1 << 16)
def _redact_once(text: str) -> str:
    return redact(text)


def redact_data(data: Any) -> Any:
    """Redact every string in a JSON-like structure (dict keys are left as they are). A plan repeats the same
    strings (check titles, file names, severities) thousands of times: each distinct one is scanned once."""
    if isinstance(data, str):
        return _redact_once(data)
    if isinstance(data, dict):
        return {key: redact_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [redact_data(value) for value in data]
    return data
