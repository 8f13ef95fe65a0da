"""The LLM path: choosing a model, tool schemas, planning by tool calling, and prose through the verifier."""
