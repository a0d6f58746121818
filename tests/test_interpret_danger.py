"""Dangerous intent is named (issues 13 and 20 item 6): refused with what was asked, why, and the secure
alternative; never quietly replaced by something safer, never a role with no policy that passes."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.interpret.danger import named
from gate.interpret.offline import interpret


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Create an IAM role for EC2 named ops-admin with the managed policy AdministratorAccess", "administrator"),
        ("Create a role for Lambda named deployer that allows s3:* on *", "wildcard"),
        ("Create a role for Lambda named ci that allows iam:PassRole on *", "wildcard"),
        ("IAM user named bob with AdministratorAccess", "administrator"),
        ("IAM user break-glass with an inline policy that allows *:* on everything", "administrator"),
        ("Create role ci-deployer for CodeBuild and give it admin access", "administrator"),
        ("Create bucket promo-site and make it publicly readable", "public access"),
        ("Create a bucket named x-site and turn off the block public access settings", "public access"),
        ("a MySQL database that is publicly accessible", "public access"),
        ("SG for the ops box - allow SSH from 0.0.0.0/0", "SSH/RDP"),
        ("security group with RDP 3389 open to the world (0.0.0.0/0)", "SSH/RDP"),
        ("just open all ports to 0.0.0.0/0 on a new security group debug-sg", "every port"),
        ("A 100 GB gp3 volume, don't encrypt it", "without encryption"),
        ("A postgres database, skip encryption", "without encryption"),
        ("A postgres database with deletion protection off", "deletion protection"),
    ],
)
def test_a_dangerous_ask_is_refused_naming_it_and_the_safe_way(text: str, label: str) -> None:
    with pytest.raises(GateError) as caught:
        interpret(text)
    assert label in caught.value.message and "refuses" in caught.value.message
    assert caught.value.fix  # the secure alternative


@pytest.mark.parametrize(
    "text",
    [
        "Finance needs a bucket named acme-invoices-archive, nothing public",
        "Create a bucket named assets with block public access",
        "Create an EC2 instance with no public IP",
        "Create a security group that allows SSH from 203.0.113.0/24, never from 0.0.0.0/0",
        "Create a security group that allows HTTPS from anywhere",
        "Create an encrypted bucket named secure-docs",
        "Create a postgres database with deletion protection",
        "Create a role for Lambda named reader that can read the bucket reports",
    ],
)
def test_safe_asks_and_ruled_out_dangers_are_not_dangerous(text: str) -> None:
    assert named(text) == []


def test_an_admin_ask_never_becomes_a_role_with_no_policy_that_passes() -> None:
    """Issue 20 item 6: 'the managed policy AdministratorAccess' once built a role with no policy, nothing said."""
    for text in (
        "Create an IAM role for EC2 named ops with the managed policy AdministratorAccess",
        "Create a role for Lambda named deployer that allows s3:* on *",
        "Create a role for Lambda named ci that allows iam:PassRole on *",
    ):
        with pytest.raises(GateError) as caught:
            interpret(text)
        assert "least-privilege" in caught.value.fix or "name the actions" in caught.value.fix
