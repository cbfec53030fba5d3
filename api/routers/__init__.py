"""Thin route modules: parse, call one function of `graph/`, render."""
