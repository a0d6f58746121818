"""The fast path of ``find_secrets`` (each pattern tried only where it can start, ``redact.STARTS``) finds exactly
what every pattern tried at every position finds (``exhaustive=True``, plain ``finditer``): on random text built
from the patterns' own words, on the secrets of the redaction promise, and on the gate's real outputs (issue 19:
the big report.html is redacted in a fraction of the time)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate import redact as redact_module
from gate.config import GateConfig
from gate.iac import load_paths
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle, write_outputs
from gate.redact import FOLDS_TO_ASCII, PATTERNS, STARTS, find_secrets

FIXTURES = Path(__file__).parent / "fixtures" / "iac"
# pieces the patterns read, mixed with what sits around them, so random text often comes close to a match
PIECES = [
    *{w for words, _, _ in STARTS for w in words},
    "PASSWORD", "Password", "_pass", "-PWD", "api_key", "secret_string", "SecretString", "Name: DB_PASSWORD",
    "Value: ", "AKIA", "ghp_", "github_pat_", "xoxb-", "sk_live_", "rk_test_", "https://hooks.slack.com/services/",
    "postgres://app:", "@db.internal", "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----",
    " is ", " = ", ": ", '"', "'", "\n", " ", ",", "/", ":", "{", "}", "${var.x}", "!Ref ", "[REDACTED",
    "\u00e9", "\u2014", "\u0130", "\u017f", "\u212a", "\u0131",
]  # fmt: skip
WORDS = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", min_size=1, max_size=48)


def test_one_row_of_starts_per_pattern() -> None:
    assert len(STARTS) == len(PATTERNS)


def test_the_characters_that_fold_to_ascii_are_all_listed() -> None:
    letters = redact_module.re.compile("(?i)[a-z]")
    found = {
        c
        for c in map(chr, range(128, sys.maxunicode + 1))
        if not 0xD800 <= ord(c) < 0xE000
        and (letters.fullmatch(c) or any(ord(x) < 128 for x in c.lower()) or len(c.lower()) != 1)
    }
    assert found == set(FOLDS_TO_ASCII)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), WORDS), min_size=1, max_size=40))
def test_the_fast_path_finds_what_every_position_finds(parts: list[str]) -> None:
    text = "".join(parts)
    assert find_secrets(text) == find_secrets(text, exhaustive=True)


@pytest.mark.parametrize(
    "text",
    [
        "use the access key AKIAABCDEFGHIJKLMNOP for the uploader",
        "the deploy token ghp_abcdefghijklmnopqrstuvwxyz0123456789 may read the repo",
        "notify https://HOOKS.SLACK.COM/services/T0000AAAA/B0000BBBBBB/XXXXXXXXXXXXXXXXXXXXXXXX on failure",
        "DB_PASSWORD=swordfish-42\napi_key: 'abcdefgh'\nthe master password is hunter2Xy9!",
        "url: postgresql://app:s3cr3t-pw@db.internal:5432/app and mysql://root:toor@host",
        "Environment:\n  - Name: DB_PASSWORD\n    Value: plaintextpw1\n  - name: API_TOKEN\n    value: tok12345",
        'SecretString: \'{"username": "app", "password": "p4ss-w0rd"}\'',
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "GITHUB_TOKEN=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789AB",
        "STRIPE_KEY=sk_live_abcdefghijklmnop1234 and xoxb-1234567890-abcdef",
        "aws_secret_access_key = abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123",
        "passwordpassword: valuevalue and pass pass_pass: 12345678 \u017fecret: abcdefgh",
    ],
)
def test_the_promise_secrets_are_found_alike(text: str) -> None:
    assert find_secrets(text) == find_secrets(text, exhaustive=True)
    assert find_secrets(text), "each of these holds a secret"


def test_the_gates_outputs_are_found_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    config = GateConfig.model_validate({"checks": {"enabled": ["secrets", "policies"]}, "cost": {"enabled": False}})
    with tempfile.TemporaryDirectory() as tmp:
        monkeypatch.chdir(FIXTURES)
        paths = sorted(p.name for p in FIXTURES.glob("*.yaml"))[:6]
        plan = gate_bundle(load_paths(paths), Run(config=config, context=ChangeContext()))
        written = write_outputs(plan, Path(tmp))
        texts = [p.read_text(encoding="utf-8") for p in written.values() if p.is_file()]
    texts += [f.content for f in plan.iac.files]
    assert texts
    for text in texts:
        assert find_secrets(text) == find_secrets(text, exhaustive=True)
