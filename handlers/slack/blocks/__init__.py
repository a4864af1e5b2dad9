"""Block Kit builders: pure functions, typed data in, Block Kit dicts out (no client, no clock)."""
