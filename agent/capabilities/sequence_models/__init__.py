"""Local sequence models as a capability: splice scores, Enformer tracks and predictions, gLM scores."""
