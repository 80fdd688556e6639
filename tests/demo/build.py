"""The one demo build the demo tests share (see conftest.py)."""

SIZE = 120  # people in acme's generated directory
SEED = 42
