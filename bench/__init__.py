"""Benchmarks: data generators and timing scripts (see bench/README.md)."""
