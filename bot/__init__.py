"""Answers coding questions from an index directory. Never reads kb/ directly."""
