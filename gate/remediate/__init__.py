"""Remediation: a concrete patch per fixable finding. Hand-written CloudFormation gets a suggestion (replace
these lines with these) per resource; generated templates get the fixed template; ``devops-gate fix`` applies."""
