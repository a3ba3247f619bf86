"""Browser forms of certification, one module per area; the services decide and write."""
