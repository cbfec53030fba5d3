"""The SPARQL 1.1 endpoint: query inspection, worker processes with hard deadlines, result writers, descriptions."""
