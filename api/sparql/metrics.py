"""Prometheus metrics of the endpoint, in a registry per app so that several apps can live in one process."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class Metrics:
    """Queries by outcome, their latency, timeouts and refusals."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.queries = Counter(
            "techcurbs_sparql_queries", "SPARQL queries answered, by outcome.", ["outcome"], registry=self.registry
        )
        self.latency = Histogram(
            "techcurbs_sparql_query_seconds",
            "Time from receiving a SPARQL query to having its complete results, by outcome.",
            ["outcome"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.timeouts = Counter(
            "techcurbs_sparql_timeouts", "Queries stopped at their deadline.", registry=self.registry
        )
        self.refusals = Counter(
            "techcurbs_sparql_refusals",
            "Queries refused before evaluation, by reason (update, service, too_long, too_many, busy).",
            ["reason"],
            registry=self.registry,
        )
        self.truncations = Counter(
            "techcurbs_sparql_truncated", "Results cut at the row limit (and marked so).", registry=self.registry
        )

    def observe(self, outcome: str, seconds: float) -> None:
        self.queries.labels(outcome).inc()
        self.latency.labels(outcome).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
