"""When to call: business days, the follow-up cadence, urgency."""
