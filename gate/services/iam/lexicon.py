"""AWS IAM's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import ACCESS, Entry, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "iam_role": r"(?:iam\s+)?roles?",
    "iam_user": r"iam\s+users?|users?(?=\s+(?:named|called|for\s+(?:the\s+)?(?:ci|deploy|github|jenkins)|[\"'`]))",
    "iam_group": r"iam\s+groups?|groups?(?=\s+(?:named|called|[\"'`]))",
    "iam_policy": r"(?:customer[- ]managed\s+|iam\s+|managed\s+|inline\s+)polic(?:y|ies)|"
    r"polic(?:y|ies)(?=\s+(?:named|called|that\s+(?:allows|grants|lets)))",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "iam_role": (
        _e(
            r"instance\s+profiles?|assum(?:e|ed|es)|trust(?:s|ed)?|lambda|ec2|ecs|codebuild|services?|tasks?|"
            r"containers?|functions?|instances?|execution",
            "assumed_by",
        ),
        _e(ACCESS + r"|allow(?:s|ing|ed)?|plus|nothing\s+else|else", "statements"),
        _e(
            r"ssm|session\s+manager|cloudwatch\s+agent|read[- ]only|(?:aws[- ])?managed\s+polic(?:y|ies)|access|"
            r"attach(?:ed|es|ing)?|managed|polic(?:y|ies)",
            "aws_managed_policies",
        ),
        _e(r"sessions?|hours?|max(?:imum)?|duration", "max_session_hours"),
        _e(r"attach(?:ed)?|polic(?:y|ies)", "policy_refs"),
        _e(r"accounts?|assum(?:e|ed|es|able)|trust(?:s|ed)?|cross[- ]account|vendors?", "trusted_accounts"),
        _e(r"external(?:[- ]ids?)?|ids?", "external_id"),
        _e(
            r"federat\w*|oidc|openid|identity\s+providers?|providers?|github(?:\s+actions)?|actions|repo(?:sitory)?|"
            r"branch(?:es)?|deploys?|workflows?|environments?",
            "federated",
        ),
        _e(r"(?:iam\s+)?path", "path"),
        _e(r"permissions?[- ]boundar(?:y|ies)|boundar(?:y|ies)", "permissions_boundary"),
        _e(r"instance\s+profiles?|profiles?", "instance_profile"),
    ),
    "iam_user": (_e(r"groups?|member|(?:user\s+)?polic(?:y|ies)|" + ACCESS, "group_refs"),),
    "iam_group": (_e(ACCESS, "statements"),),
    "iam_policy": (_e(ACCESS + r"|allowing", "statements"), _e(r"attach(?:ed|es)?(?:\s+to)?", "existing_roles")),
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "iam_role": ("role",),
}

LEXICON = Lexicon(nouns=NOUNS, words=WORDS, removal=REMOVAL)
