"""Who may assume a role besides AWS services, and where the role sits: 'assumable by account 444455556666 only with
external id zx-1', 'for GitHub Actions deploys from repo acme/shop (main branch only)', 'under path /sandbox/',
'with permissions boundary arn:aws:iam::123456789012:policy/dev-boundary'.  Each value binds to its attribute
whatever the verb and wherever it stands."""

from __future__ import annotations

import re
from typing import Any

from gate.errors import GateError
from gate.interpret.base import Ctx

_ACCOUNT = re.compile(
    r"\b(?:aws\s+)?accounts?\s+(?:id\s+)?[`'\"]?(\d{12})\b|\barn:aws[a-z-]*:iam::(\d{12}):root\b|"
    r"\b(?:assum\w*|trust\w*)\s+(?:by|from|for)?\s*(?:the\s+)?[`'\"]?(\d{12})\b",
    re.I,
)
_EXTERNAL_ID = re.compile(r"\bexternal[- _]?id\s+(?:of\s+|is\s+|=\s*|:\s*)?[`'\"]?([\w+=,.@:/-]*[\w+=@/-])", re.I)
_GITHUB = re.compile(r"\bgithub(?:\s+actions)?\b|token\.actions\.githubusercontent\.com", re.I)
_OIDC_ARN = re.compile(r"\b(arn:aws[a-z-]*:iam::\d{12}:oidc-provider/[A-Za-z0-9./_-]*[A-Za-z0-9_-])")
_REPO = re.compile(r"\b(?:repo(?:sitory)?|repos)\s+[`'\"]?([\w.-]+/[\w.-]*[\w-])", re.I)
_BRANCH = re.compile(
    r"\b(?:branch(?:es)?\s+[`'\"]?([\w./-]*[\w-])[`'\"]?|[`'\"]?([\w./-]*[\w-])[`'\"]?\s+branch(?:es)?)\b", re.I
)
_ENVIRONMENT = re.compile(r"\b(?:github\s+)?environment\s+[`'\"]?([\w.-]*[\w-])", re.I)
_PATH = re.compile(r"\b(?:iam\s+)?path\s+(?:of\s+|is\s+|=\s*|:\s*)?[`'\"]?(/(?:[\w+=,.@-]+/)*)", re.I)
_BOUNDARY = re.compile(
    r"\bpermissions?[- ]boundary\s+(?:policy\s+)?(?:of\s+|is\s+|=\s*|:\s*)?[`'\"]?"
    r"(arn:aws[a-z-]*:iam::(?:\d{12}|aws):policy/[\w+=,.@/-]*[\w+=@-])",
    re.I,
)
_NOT_BRANCH = {"the", "a", "one", "only", "any", "each", "every", "this", "that", "default"}


def trusts(ctx: Ctx, name: str, text: str) -> dict[str, Any]:
    """The role's trust besides services, its path and boundary (only the fields the text sets)."""
    out: dict[str, Any] = {}
    accounts = [next(g for g in m.groups() if g) for m in _ACCOUNT.finditer(text)]
    federated = _federated(ctx, name, text)
    if federated:
        out["federated"] = federated
        own = federated["provider_arn"].split(":")[4] if federated["provider_arn"].startswith("arn:") else None
        accounts = [a for a in accounts if a != own]  # the provider's own account is not a trusted account
    if accounts:
        out["trusted_accounts"] = list(dict.fromkeys(accounts))[:10]
    external = _EXTERNAL_ID.search(text)
    if external and accounts:
        out["external_id"] = external.group(1)
    elif accounts:
        ctx.assume(name, "external_id", "none", "the request names no external id: any principal the trusted "
                   "account allows may assume the role (ask the vendor for one when it is a third party)")  # fmt: skip
    path = _PATH.search(text)
    if path:
        out["path"] = path.group(1)
    boundary = _BOUNDARY.search(text)
    if boundary:
        out["permissions_boundary"] = boundary.group(1)
    elif re.search(r"\bpermissions?[- ]boundary\b", text, re.I):
        ctx.assume(name, "not-applied", "a permissions boundary (no policy ARN read)", "write the boundary "
                   "policy's ARN, e.g. 'permissions boundary arn:aws:iam::123456789012:policy/NAME'")  # fmt: skip
    return out


def _federated(ctx: Ctx, name: str, text: str) -> dict[str, Any] | None:
    """A role GitHub Actions assumes through OIDC: the provider (an existing one) and the repo, branch or
    environment its tokens must come from.  Trusting every repository on GitHub is refused."""
    arn = _OIDC_ARN.search(text)
    if not (_GITHUB.search(text) or (arn and "githubusercontent" in arn.group(1))):
        if arn:
            raise GateError(f"the role {name!r} trusts the OIDC provider {arn.group(1)}, but the gate reads the "
                            "token conditions only for GitHub Actions",
                            fix="write the role's trust policy by hand, or ask for a GitHub Actions role with "
                            "its repo")  # fmt: skip
        return None
    repo = _REPO.search(text)
    if repo is None:
        raise GateError(
            f"the role {name!r} trusts GitHub Actions but names no repository: every repository on GitHub could "
            "assume it",
            fix="name the repo (and branch), e.g. 'for GitHub Actions deploys from repo acme/shop, main branch only'",
        )
    branch = next((g for m in _BRANCH.finditer(text) for g in m.groups() if g and g.lower() not in _NOT_BRANCH), None)
    environment = _ENVIRONMENT.search(text)
    if branch:
        subject = f"repo:{repo.group(1)}:ref:refs/heads/{branch}"
    elif environment:
        subject = f"repo:{repo.group(1)}:environment:{environment.group(1)}"
    else:
        subject = f"repo:{repo.group(1)}:*"
        ctx.assume(name, "federated", subject, "the request names no branch or environment: any ref of the repo")
    if arn:
        provider = arn.group(1)
    else:
        provider = "token.actions.githubusercontent.com"
        ctx.assume(name, "federated", "the account's existing GitHub OIDC provider",
                   "the request gives no provider ARN; the provider is not created by this change")  # fmt: skip
    return {"provider_arn": provider, "subjects": [subject]}
