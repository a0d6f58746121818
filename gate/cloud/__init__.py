"""Access to AWS: one place that builds every client (endpoint URL, region, credentials)."""
