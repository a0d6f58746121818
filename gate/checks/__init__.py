"""Security, lint and policy checks over an IaCBundle; see ``registry.py`` for the list."""
