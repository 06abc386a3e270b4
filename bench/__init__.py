"""Benchmarks: `make bench`. Figures, not tests: nothing here asserts a time."""
