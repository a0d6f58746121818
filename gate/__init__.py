"""devops-gate: a policy gate for AWS infrastructure changes."""

__version__ = "0.1.0"
