"""rdflib-endpoint on an rdflib Dataset of one N-Quads file, for the benchmark: `python -m ... FILE PORT`."""

from __future__ import annotations

import sys
import time

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main() -> None:
    path, port = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    # The data sit in the default graph; the union keeps queries right should a file bring named graphs.
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    print(f"loaded {len(dataset)} triples in {time.perf_counter() - start:.1f} s", flush=True)
    app = SparqlEndpoint(graph=dataset, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
