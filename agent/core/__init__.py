"""The core loop: questions and frames, typed calls, plan/act, synthesis, verification, events, memory."""
