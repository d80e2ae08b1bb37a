"""Turns the Markdown knowledge base into an index directory. Serves no queries."""
