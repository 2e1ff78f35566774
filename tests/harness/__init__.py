"""Test harnesses that are also command-line tools (run them with `python -m tests.harness.<name>`)."""
