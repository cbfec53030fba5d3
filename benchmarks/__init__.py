"""Benchmarks: a synthetic data generator, the query mix and the comparison with other SPARQL servers."""
