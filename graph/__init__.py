"""TechCurbs graph: ontology, curated-data loader, Oxigraph store and the Python API over them."""
