"""TechCurbs HTTP API: the SPARQL endpoint, the explorer pages and their JSON, over `graph/`."""
