"""``devops-gate notify``: send the change's state (blocked, approved, deployed, rolled back) to Slack/Teams/webhooks.

Targets are configured per environment (``notifications:`` in .gate.yml).  Delivery problems are warnings:
the message waits in the outbox for the next run and the command exits with the gate's own code.
"""

from __future__ import annotations

import argparse

from gate.commands.ticket import add_publish_arguments, publish

HELP = "send the environment's chat/webhook notifications for a plan or an apply outcome"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_publish_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return publish(args, tickets=False, notifications=True)
