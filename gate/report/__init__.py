"""GatePlan -> what people read: PR comment, job summary, SARIF. Every format derives from the plan."""
