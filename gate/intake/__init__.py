"""CI events and local inputs -> (ChangeContext, ChangeRequest)."""
