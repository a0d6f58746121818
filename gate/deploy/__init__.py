"""The merge side and the plan's view of the target account: change sets, locks, alarms, rollback."""
