"""Offline preview tooling: the program runner, the policy-pack host and ``python -m preflight``."""
