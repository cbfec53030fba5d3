"""Time until an ego-network page is interactive in headless Chromium, before and after showing every node.

The network page (api/static/explorer/network.js) sets `data-ready="true"` on `#graph` after vis-network's
first `afterDrawing`; an init script records `performance.now()` (milliseconds since navigation start) the
moment that attribute appears. Views of more than 15 neighbours fold all but 10 into a "+N more" node, so the
first drawing is small; the page's "Show all N nodes" button (`data-action="expand"`) then shows every node,
and the time from the click until two animation frames have passed (the redraw is done) is measured as well.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY_PROBE = """
new MutationObserver(function (changes, observer) {
  for (const change of changes) {
    if (change.target.id === "graph" && change.target.getAttribute("data-ready") === "true") {
      window.__benchReadyAt = performance.now();
      observer.disconnect();
    }
  }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
"""
NAVIGATION = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return { responseEnd: n.responseEnd, domContentLoadedEventEnd: n.domContentLoadedEventEnd };
}"""
EXPAND = """
() => new Promise((resolve) => {
  const button = document.querySelector('[data-action="expand"]');
  if (!button) { resolve(0); return; }
  const start = performance.now();
  button.click();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
})
"""


@dataclass
class PageTiming:
    """Timings of one network page over several fresh browser contexts, in milliseconds."""

    url: str
    ready_ms: list[float] = field(default_factory=list)
    expand_ms: list[float] = field(default_factory=list)
    # From the Navigation Timing entry: the last byte of the HTML, and the end of DOMContentLoaded.
    response_end_ms: list[float] = field(default_factory=list)
    dom_loaded_ms: list[float] = field(default_factory=list)
    nodes_first: int = 0
    nodes_all: int = 0
    edges_all: int = 0
    error: str = ""

    @property
    def ready_p50(self) -> float:
        return statistics.median(self.ready_ms) if self.ready_ms else float("nan")

    @property
    def expand_p50(self) -> float:
        return statistics.median(self.expand_ms) if self.expand_ms else float("nan")

    @property
    def total_p50(self) -> float:
        totals = [r + e for r, e in zip(self.ready_ms, self.expand_ms, strict=False)]
        return statistics.median(totals) if totals else float("nan")


def time_network_pages(base: str, entities: list[str], runs: int = 5, timeout_ms: float = 60_000) -> list[PageTiming]:
    """Open `/network?entity=E&depth=1` for each entity `runs` times, each in a fresh context (cold browser cache).

    Every visit adds a parameter of its own, so the server renders the page afresh rather than from its cache.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for entity in entities:
                timing = PageTiming(f"/network?entity={entity}&depth=1")
                for run in range(runs):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    try:
                        page = context.new_page()
                        page.add_init_script(READY_PROBE)
                        page.goto(f"{base}{timing.url}&bench={run}", timeout=timeout_ms)
                        page.wait_for_selector('#graph[data-ready="true"]', state="attached", timeout=timeout_ms)
                        timing.ready_ms.append(float(page.evaluate("window.__benchReadyAt")))
                        nav = page.evaluate(NAVIGATION)
                        timing.response_end_ms.append(float(nav["responseEnd"]))
                        timing.dom_loaded_ms.append(float(nav["domContentLoadedEventEnd"]))
                        timing.nodes_first = int(page.get_attribute("#graph", "data-node-count") or 0)
                        timing.expand_ms.append(float(page.evaluate(EXPAND)))
                        timing.nodes_all = int(page.get_attribute("#graph", "data-node-count") or 0)
                        timing.edges_all = int(page.get_attribute("#graph", "data-edge-count") or 0)
                    except PlaywrightError as exc:
                        timing.error = str(exc).splitlines()[0]
                    finally:
                        context.close()
                timings.append(timing)
        finally:
            browser.close()
    return timings
