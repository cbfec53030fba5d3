"""A small interactive drawing of a projection as one self-contained HTML page, for notebooks without internet.

vis-network's script is read from the files of the installed pyvis package and embedded inline; nothing is
fetched from any host. Labels travel as JSON inside the script (with `<`, `>` and `&` escaped), and vis-network
shows tooltips as text, so names cannot inject markup. Colours and shapes come from the ontology via the node
attributes, and the legend is derived from the classes drawn.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

TOOLTIP_RULE = re.compile(r"div\.vis-tooltip\{[^}]*\}")


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's script and its tooltip style, from the newest copy bundled with pyvis."""
    root = Path(str(files("pyvis"))) / "lib"
    bundles = sorted(
        root.glob("vis-*/vis-network.min.js"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)]
    )
    if not bundles:
        raise FileNotFoundError(f"no vis-network.min.js under {root}: is pyvis installed?")
    script = bundles[-1].read_text(encoding="utf-8")
    css = (bundles[-1].parent / "vis-network.css").read_text(encoding="utf-8")
    rule = TOOLTIP_RULE.search(css)
    return script, rule.group(0) if rule else ""


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass(frozen=True, repr=False)
class NetworkView:
    """A rendered drawing: the page, shown inline by Jupyter in a sandboxed frame."""

    page: str
    height: int
    nodes: int = 0
    edges: int = 0

    def __repr__(self) -> str:
        return f"<NetworkView of {self.nodes} nodes and {self.edges} edges>"

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{self.height + 60}px;border:1px solid #ddd"></iframe>'
        )

    def save(self, path: Path | str) -> Path:
        target = Path(path)
        target.write_text(self.page, encoding="utf-8")
        return target


def vis_data(
    g: nx.MultiDiGraph, groups: dict[str, int] | None = None, *, edge_labels: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges as vis-network wants them; edge tooltips read "source verb target [publishers]".

    Edge labels are off by default: on a dense drawing the tooltips say the same without the clutter.
    """
    nodes = []
    for iri, attrs in g.nodes(data=True):
        tooltip = f"{attrs['label']}\n{attrs['class_label']}"
        if attrs.get("country"):
            tooltip += f", {attrs['country']}"
        if attrs.get("date"):
            tooltip += f"\n{attrs['date']}"
        if attrs.get("confidence") == "unverified":
            tooltip += "\n(unverified)"
        node: dict[str, Any] = {
            "id": iri,
            "label": attrs["label"],
            "title": tooltip,
            "color": attrs["colour"],
            "shape": attrs["shape"],
            "widthConstraint": {"maximum": 160},
        }
        if groups is not None and iri in groups:
            node["title"] += f"\ncommunity {groups[iri]}"
        nodes.append(node)
    edges = []
    for u, v, key, attrs in g.edges(keys=True, data=True):
        tooltip = f"{g.nodes[u]['label']} {attrs['label']} {g.nodes[v]['label']}"
        if attrs.get("via_label") and attrs.get("kind") == "record":
            tooltip += f"\n({attrs['via_label']})"
        publishers = "; ".join(s["publisher"] for s in attrs["sources"])
        tooltip += f"\n[{publishers or 'no source'}]"
        edges.append(
            {
                "id": key,
                "from": u,
                "to": v,
                "label": attrs["label"] if edge_labels else "",
                "title": tooltip,
                "arrows": "to",
                "dashes": attrs.get("confidence") == "unverified",
            }
        )
    return nodes, edges


def legend(g: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """(class label, colour) of every class drawn, in label order."""
    return sorted({(str(a["class_label"]), str(a["colour"])) for _, a in g.nodes(data=True)})


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{margin:0;font:13px sans-serif}}#net{{height:{height}px;border-bottom:1px solid #eee}}
.legend span{{display:inline-block;margin:4px 10px 0 0}}.legend i{{display:inline-block;width:10px;height:10px;
margin-right:4px;border-radius:5px}}{tooltip}</style>
<script>{script}</script></head>
<body><div id="net"></div><div class="legend">{legend}</div>
<script>
const data = {{nodes: new vis.DataSet({nodes}), edges: new vis.DataSet({edges})}};
const options = {{
  physics: {{barnesHut: {{gravitationalConstant: -9000, springLength: 170, avoidOverlap: 0.4}},
    stabilization: {{iterations: 400}}}},
  interaction: {{hover: true, tooltipDelay: 100}},
  nodes: {{font: {{size: 12}}}},
  edges: {{font: {{size: 9, align: "middle"}}, smooth: {{type: "continuous"}}, color: {{color: "#aaa"}}}}}};
const network = new vis.Network(document.getElementById("net"), data, options);
network.once("stabilizationIterationsDone", () => {{
  network.setOptions({{physics: {{enabled: false}}}});
  network.fit();
  window.setTimeout(() => network.fit(), 50);
}});
</script></body></html>
"""


def network_view(
    g: nx.MultiDiGraph,
    *,
    height: int = 600,
    title: str = "TechCurbs network",
    groups: dict[str, int] | None = None,
    edge_labels: bool = False,
) -> NetworkView:
    """An interactive drawing of a (small) projection, with everything it needs inline."""
    script, tooltip = vis_assets()
    nodes, edges = vis_data(g, groups, edge_labels=edge_labels)
    keys = "".join(
        f'<span><i style="background:{html.escape(colour)}"></i>{html.escape(label)}</span>'
        for label, colour in legend(g)
    )
    page = PAGE.format(
        title=html.escape(title),
        height=height,
        tooltip=tooltip,
        script=script.replace("</script", "<\\/script"),
        legend=keys,
        nodes=script_json(nodes),
        edges=script_json(edges),
    )
    return NetworkView(page=page, height=height, nodes=g.number_of_nodes(), edges=g.number_of_edges())
