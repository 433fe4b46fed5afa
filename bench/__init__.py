"""Benchmarks: `make bench` prints numbers; nothing here asserts a time."""
