"""Adapters that publish the gate result: GitHub, Jira tickets, chat notifications (one module per service)."""
