"""Running the notebooks from a clean kernel; `python -m tests.notebooks.execute` also saves them with outputs.

The kernel is `python3`, which jupyter_client starts with the interpreter running this code (the venv's), so
the notebooks see the installed `graph` package. They run with `notebooks/` as the working directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
TIMEOUT = 180


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook run top to bottom in a fresh kernel; any cell error raises CellExecutionError."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=TIMEOUT,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def main(names: list[str]) -> None:
    """Execute the named notebooks (all by default) and save them with their outputs."""
    for path in [NOTEBOOKS / n for n in names] if names else notebook_paths():
        notebook = execute(path)
        nbformat.write(notebook, path)
        print(f"executed and saved {path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
