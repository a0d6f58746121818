"""Promise: a secret is detected, never echoed. Random secrets of every kind the gate knows, embedded in random
requests and templates, never appear in any output: gate-plan.json, comment.md, results.sarif, the IaC it
writes, or the console (issue 20, item 2)."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gate.config import GateConfig
from gate.iac import load_paths
from gate.intake.local import from_text
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle, plan_request, write_outputs
from gate.redact import redact

CONFIG = GateConfig.model_validate({"checks": {"enabled": ["secrets"]}, "cost": {"enabled": False}})
UPPER_DIGITS, ALNUM = string.ascii_uppercase + string.digits, string.ascii_letters + string.digits
B64 = string.ascii_letters + string.digits + "+/"


def _text(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=size, max_size=size)


def _random_case(text: str) -> st.SearchStrategy[str]:
    flips = st.lists(st.booleans(), min_size=len(text), max_size=len(text))
    return flips.map(lambda up: "".join(c.upper() if u else c for c, u in zip(text, up, strict=True)))


@st.composite
def _private_key(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(["RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY",
                                 "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "DSA PRIVATE KEY"]))  # fmt: skip
    body = draw(st.lists(_text(B64, 64), min_size=2, max_size=4))
    secret = "\n".join(body)
    return f"-----BEGIN {kind}-----\n{secret}\n-----END {kind}-----", body[0]


@st.composite
def _secret(draw: st.DrawFn) -> tuple[str, str]:
    """(the text that carries the secret, the part of it that must never be output)."""
    kind = draw(st.sampled_from(["aws", "github", "slack", "key", "assign", "prose"]))
    if kind == "aws":
        value = "AKIA" + draw(_text(UPPER_DIGITS, 16))
        return f"use the access key {value} for the uploader", value
    if kind == "github":
        value = "ghp_" + draw(_text(ALNUM, 36))
        return f"the deploy token {value} may read the repo", value
    if kind == "slack":
        host = draw(_random_case("https://hooks.slack.com/services/"))
        value = draw(_text(UPPER_DIGITS, 9)) + "/" + draw(_text(UPPER_DIGITS, 11)) + "/" + draw(_text(ALNUM, 24))
        return f"notify {host}{value} on failure", value
    if kind == "key":
        return draw(_private_key())
    word = draw(st.text(string.ascii_lowercase, min_size=6, max_size=16).filter(lambda w: w.isalpha()))
    value = word + draw(st.sampled_from(["", "fish", "Xy9!", "-42"]))
    if kind == "assign":
        name = draw(st.sampled_from(["password", "DB_PASSWORD", "api_key", "secret"]))
        return f"{name}={value}", value
    return f"the master password is {value}", value


def _outputs(out: Path, console: str) -> str:
    return console + "".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


BOUNDED = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@BOUNDED
@given(secret=_secret(), name=_text(string.ascii_lowercase + string.digits, 10))
def test_a_secret_in_a_request_never_appears_in_any_output(
    secret: tuple[str, str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    phrase, value = secret
    request = from_text(f"Create an S3 bucket named acme-{name} with versioning enabled.\n{phrase}\n")
    with tempfile.TemporaryDirectory() as tmp:
        plan = plan_request(request, Run(config=CONFIG, context=ChangeContext()))
        write_outputs(plan, Path(tmp))
        leaked = _outputs(Path(tmp), capsys.readouterr().out)
    assert value not in leaked
    assert any(r.check == "request-secrets" or r.findings for r in plan.checks), "the secret is reported"


@BOUNDED
@given(secret=_secret(), where=st.sampled_from(["Description", "tag", "comment"]))
def test_a_secret_in_a_template_never_appears_in_any_output(
    secret: tuple[str, str], where: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    phrase, value = secret
    quoted = phrase.replace("\n", "\\n").replace('"', '\\"')
    description = f'"{quoted}"' if where == "Description" else '"invoices"'
    tag = f'\n      Tags:\n        - Key: note\n          Value: "{quoted}"' if where == "tag" else ""
    comment = "".join(f"# {line}\n" for line in phrase.splitlines()) if where == "comment" else ""
    template = (
        f"{comment}AWSTemplateFormatVersion: '2010-09-09'\nDescription: {description}\nResources:\n"
        f"  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: acme-redact{tag}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        monkeypatch.chdir(tmp)
        Path("template.yaml").write_text(template)
        plan = gate_bundle(load_paths(["template.yaml"]), Run(config=CONFIG, context=ChangeContext()))
        write_outputs(plan, Path(tmp) / "out")
        leaked = _outputs(Path(tmp) / "out", capsys.readouterr().out)
    assert value not in leaked
    assert plan.iac.files[0].redacted, "the stored template is redacted, so this plan is never applied"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("webhook: https://HOOKS.SLACK.COM/services/T0000/B0000/XXXXXXXXXXXXXXXX", "XXXXXXXXXXXXXXXX"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGZ0abc\n-----END PGP PRIVATE KEY BLOCK-----", "lQOYBGZ0abc"),
        ("The database password is swordfish.", "swordfish"),
    ],
)
def test_the_leaks_of_the_review_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact(text)


@pytest.mark.parametrize(
    "text",
    ["Ensure the secret is encrypted", "the token is rotated daily", "the password is required", "its secret is kept"],
)
def test_prose_about_a_secret_is_left_alone(text: str) -> None:
    assert redact(text) == text
