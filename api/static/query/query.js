// The query page: runs the query against the same-origin endpoint and draws the results with DOM text nodes only.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const examples = document.getElementById("examples");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const permalink = document.getElementById("permalink");
  const endpoint = form.dataset.endpoint;

  function isGraphQuery(text) {
    const stripped = text.replace(/#[^\n]*/g, " ").replace(/(PREFIX|BASE)\s+[^\n]*/gi, " ");
    return /\b(CONSTRUCT|DESCRIBE)\b/i.test(stripped) && !/^\s*(SELECT|ASK)\b/i.test(stripped);
  }

  function updateLinks() {
    const query = editor.value;
    const url = new URL(window.location.href);
    url.pathname = url.pathname.endsWith("/sparql") ? url.pathname.replace(/sparql$/, "query") : url.pathname;
    url.search = new URLSearchParams({ query: query }).toString();
    permalink.href = url.toString();
    const graph = isGraphQuery(query);
    document.querySelectorAll("a.download").forEach(function (link) {
      const forGraph = link.classList.contains("graph");
      link.classList.toggle("hidden", forGraph !== graph);
      link.href = endpoint + "?" + new URLSearchParams({ query: query, format: link.dataset.format }).toString();
    });
  }

  function text(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) { el.className = cls; }
    return el;
  }

  function termText(term) {
    if (!term) { return ""; }
    if (term.type === "literal") {
      if (term["xml:lang"]) { return term.value + " @" + term["xml:lang"]; }
      return term.value;
    }
    if (term.type === "bnode") { return "_:" + term.value; }
    return term.value;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (term && term.type === "uri" && /^https?:\/\//.test(term.value)) {
      const a = document.createElement("a");
      a.href = term.value;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = termText(term);
    }
    return td;
  }

  function drawJson(data, truncated) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      results.appendChild(text("p", "ASK: " + data.boolean));
      return;
    }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    if (truncated) {
      results.appendChild(text("p", "Results were cut at the row limit of " + data.limit + " rows.", "notice"));
    }
    results.appendChild(text("p", rows.length + " row" + (rows.length === 1 ? "" : "s")));
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    vars.forEach(function (v) { head.appendChild(text("th", v)); });
    const body = table.createTBody();
    rows.forEach(function (row) {
      const tr = body.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    results.appendChild(table);
  }

  async function run() {
    const query = editor.value;
    updateLinks();
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9"
        },
        body: new URLSearchParams({ query: query })
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        const problem = type.includes("json") ? (await response.json()).detail : await response.text();
        results.replaceChildren(text("p", response.status + ": " + problem, "error"));
        status.textContent = "";
        return;
      }
      if (type.includes("sparql-results+json")) {
        const data = await response.json();
        drawJson(data, response.headers.get("X-TechCurbs-Truncated") === "true");
      } else {
        results.replaceChildren(text("pre", await response.text()));
      }
      status.textContent = "Done in " + seconds + " s";
    } catch (error) {
      results.replaceChildren(text("p", "The endpoint could not be reached: " + error, "error"));
      status.textContent = "";
    }
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      const start = editor.selectionStart;
      editor.setRangeText("  ", start, editor.selectionEnd, "end");
    }
  });
  editor.addEventListener("input", updateLinks);
  examples.addEventListener("change", function () {
    const option = examples.selectedOptions[0];
    if (option && option.dataset.query) { editor.value = option.dataset.query; updateLinks(); run(); }
  });
  updateLinks();
  if (form.dataset.run === "true") { run(); }
})();
