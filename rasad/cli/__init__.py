"""The `rasad` command line: one module per command group, on top of every layer."""
