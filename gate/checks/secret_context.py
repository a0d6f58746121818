"""Is a password-like match a secret, or something CloudFormation / Terraform / code only *points to*?

:mod:`gate.redact` finds candidates by pattern (and redacts them everywhere: a false alarm there only hides a
word). The secrets check blocks on what it reports, so it judges each ``password`` / ``secret-string``
candidate in its place in the file:

- inside a dynamic reference (``{{resolve:secretsmanager:db:SecretString:password}}``): a reference, the
  recommended way; a ``SecretString`` whose value holds one is a template of references;
- ``SecretStringTemplate`` (the non-secret part of a generated secret) and a value that opens a mapping
  (``"SecretString": {"Fn::Sub": ...}``, judged by the structured check instead);
- in code (Lambda ``ZipFile``, user data, mapping templates, GraphQL schemas: block scalars, one-line strings
  with ``\\n`` escapes, Terraform heredocs): an unquoted identifier, attribute path or subscript
  (``event.resultToken``, ``response['keyPair']``, ``password``; not after a shell ``X=``), a template
  variable (``"$executionToken"``) — a variable, not a literal. A *quoted* literal in code stays a secret;
- API Gateway / AppSync variables anywhere (``$context.``, ``$input.``, ``$util.``, ``$ctx.``);
- a comment that gives an example (``# Example of valid password: "..."``).

Every other candidate stays a finding (``password = "AdminPassword123!"`` in Terraform is one).
"""

from __future__ import annotations

import re

from gate.redact import SecretHit

JUDGED_KINDS = ("password", "secret-string")

_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:[^}]*\}\}")
_BLOCK_START = re.compile(r"^(?P<indent>\s*)(?:-\s+)?[^\s#][^#]*?:\s*(?:![\w:]+\s+)?[|>][-+0-9]*\s*$")
_HEREDOC_START = re.compile(r"<<-?\s*([A-Za-z_]\w*)\s*$")
_EXPRESSION = re.compile(
    r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]{1,60}\]|\(\))*[,;:!)\]}]*$"
)  # password, event.resultToken, response['keyPair'], os.environ['X'], $executionToken
_PATH_EXPRESSION = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]{1,60}\])+[,;:!)\]}]*$")
_GATEWAY_VARIABLE = re.compile(r"^\$(?:context|input|util|ctx|stageVariables|stage)\.")
_EXAMPLE_COMMENT = re.compile(r"^\s*(?:#|//|/\*|\*).*\b(?:example|e\.g\.|for instance|sample)\b", re.IGNORECASE)


def code_lines(text: str) -> set[int]:
    """1-based numbers of the lines that hold code or a template language rather than IaC values."""
    lines = text.splitlines()
    found: set[int] = set()
    block_indent: int | None = None
    heredoc: str | None = None
    for number, line in enumerate(lines, start=1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            else:
                found.add(number)
            continue
        if block_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > block_indent:
                found.add(number)
                continue
            block_indent = None
        if "\\n" in line:  # a one-line string with escaped newlines: a script or a program
            found.add(number)
        start = _BLOCK_START.match(line)
        if start:
            block_indent = len(start.group("indent"))
        tail = _HEREDOC_START.search(line)
        if tail:
            heredoc = tail.group(1)
    return found


def is_reference(text: str, hit: SecretHit, in_code: bool) -> bool:
    """True when the candidate ``hit`` in ``text`` is a reference or an expression, not a secret."""
    value = text[hit.start : hit.end]
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if any(ref.start() <= hit.start and hit.end <= ref.end() for ref in _DYNAMIC_REFERENCE.finditer(text, line_start)):
        return True
    if "{{resolve:" in value or re.search(r"(?i)secret_?string_?template", line):
        return True
    if hit.kind == "secret-string" and value.strip() in ("{", "["):
        return True
    if _EXAMPLE_COMMENT.match(line):
        return True
    # the whole word as written (the pattern stops at quotes: response['keyPair']), ending at a space or at an
    # escape of a one-line script ("...ResultToken: event.resultToken\n...")
    quoted = text[hit.start - 1 : hit.start] in ("'", '"')
    word = re.match(r"[^\s\\]*", text[hit.start : hit.start + 200])
    bare = value.strip() if quoted or not word or not word.group(0) else word.group(0)
    if _GATEWAY_VARIABLE.match(bare):
        return True
    if not in_code:
        return False
    if quoted:
        return re.fullmatch(r"\$[A-Za-z_]\w*", bare) is not None  # "$executionToken" in a mapping template
    if _PATH_EXPRESSION.match(bare):
        return True
    # a bare word: a variable after 'key: ' or 'key = ' (JavaScript, Python, GraphQL), but a literal after a
    # shell assignment ('export DB_PASSWORD=Sup3r' in user data)
    shell_assignment = re.search(r"[^\s=]=$", text[line_start : hit.start]) is not None
    return not shell_assignment and _EXPRESSION.match(bare) is not None
