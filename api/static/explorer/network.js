/* Draws the view's JSON with vis-network: colour and shape by class, labelled edges, "+N more" folds,
   plain-text tooltips built as DOM elements, click to open or recentre, and a PNG download with a caption.
   The data come from <script type="application/json" id="graph-data">; nothing from it is treated as markup. */
(function () {
  "use strict";

  /* A large view's table alternative arrives inert in a <template>; it is put in place when first opened. */
  var deferred = document.querySelector("details.table-alt[data-deferred]");
  if (deferred) {
    deferred.addEventListener("toggle", function () {
      var rows = document.getElementById("table-alt-rows");
      if (deferred.open && rows) rows.replaceWith(rows.content);
    });
  }

  var holder = document.getElementById("graph-data");
  var container = document.getElementById("graph");
  if (!holder || !container || typeof vis === "undefined") return;
  var payload = JSON.parse(holder.textContent);
  var meta = payload.meta || {};
  var foldOf = {};
  (payload.folds || []).forEach(function (fold) {
    fold.members.forEach(function (m) { foldOf[m] = fold.id; });
  });

  function tip(lines) {
    var box = document.createElement("div");
    box.className = "vis-tip";
    lines.forEach(function (line, i) {
      if (!line) return;
      var el = document.createElement(i === 0 ? "strong" : "div");
      el.textContent = line;
      box.appendChild(el);
    });
    return box;
  }

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  function sourceLine(citations) {
    if (!citations.length) return "No source recorded";
    return "Sources: " + citations.map(function (c) {
      return (c.publisher || c.title || c.url) + (c.published ? ", " + c.published : "");
    }).join("; ");
  }

  var nodes = new vis.DataSet(payload.nodes.map(function (n) {
    var centre = n.id === meta.centre;
    var item = {
      id: n.id,
      label: shorten(n.label, 38),
      shape: n.shape,
      size: centre ? 26 : 16,
      borderWidth: centre ? 4 : 1,
      color: { background: n.colour, border: centre ? "#111827" : "#ffffff",
               highlight: { background: n.colour, border: "#111827" } },
      font: { size: centre ? 16 : 13, color: "#1f2937", strokeWidth: 3, strokeColor: "#ffffff",
              bold: centre },
      title: tip([n.label, n.class_label + (n.country ? " · " + n.country : ""),
                  n.date ? "Date: " + n.date : "", n.confidence === "unverified" ? "Unverified" : ""]),
      hidden: Boolean(n.folded_into)
    };
    if (n.shape === "box" || n.shape === "ellipse") {
      item.font.color = "#ffffff";
      item.font.strokeWidth = 0;
    }
    if (payload.precomputed && n.x !== null) {
      item.x = n.x;
      item.y = n.y;
    }
    return item;
  }));
  var edges = new vis.DataSet(payload.edges.map(function (e) {
    var unverified = e.confidence === "unverified";
    return {
      id: e.id,
      from: e.source,
      to: e.target,
      label: shorten(e.label, 30),
      arrows: "to",
      dashes: unverified,
      color: { color: unverified ? "#d97706" : "#9ca3af", highlight: "#111827" },
      font: { size: 10, color: "#4b5563", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      title: tip([e.source_label + " " + e.label + " " + e.target_label,
                  e.via_label && e.via !== e.source && e.via !== e.target ? "Through: " + e.via_label : "",
                  sourceLine(e.citations), unverified ? "Unverified" : ""]),
      smooth: { type: "continuous" }
    };
  }));
  (payload.folds || []).forEach(function (fold) {
    nodes.add({ id: fold.id, label: fold.label, shape: "box", isFold: true,
                color: { background: "#f3f4f6", border: "#6b7280" }, font: { color: "#111827" },
                shapeProperties: { borderDashes: [4, 3] },
                title: tip([fold.label, "Click to show them"]) });
    edges.add({ id: "edge:" + fold.id, from: fold.parent, to: fold.id, dashes: true, color: { color: "#d1d5db" } });
  });

  var options = {
    layout: { randomSeed: 7, improvedLayout: !payload.precomputed && payload.nodes.length < 80 },
    physics: payload.precomputed ? false : {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 250, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 120, keyboard: { enabled: true, bindToWindow: false },
                   multiselect: false, navigationButtons: false },
    nodes: { shadow: false },
    edges: { selectionWidth: 2 }
  };
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  function countVisible() {
    var count = nodes.get({ filter: function (n) { return !n.hidden && !n.isFold; } }).length;
    container.setAttribute("data-node-count", String(count));
    container.setAttribute("data-edge-count", String(edges.get({ filter: function (e) {
      var a = nodes.get(e.from), b = nodes.get(e.to);
      return a && b && !a.hidden && !b.hidden && !a.isFold && !b.isFold;
    } }).length));
  }

  function expand(foldId) {
    var fold = (payload.folds || []).filter(function (f) { return f.id === foldId; })[0];
    if (!fold) return;
    nodes.update(fold.members.map(function (id) { return { id: id, hidden: false }; }));
    edges.remove("edge:" + fold.id);
    nodes.remove(fold.id);
    countVisible();
  }

  var panel = document.getElementById("node-panel");
  function byId(id) {
    return payload.nodes.filter(function (n) { return n.id === id; })[0];
  }
  function recentreUrl(n) {
    var url = "/network?entity=" + encodeURIComponent(n.record_id);
    if (meta.as_of) url += "&as_of=" + encodeURIComponent(meta.as_of);
    return url;
  }
  function showPanel(n) {
    if (!panel) return;
    panel.querySelector('[data-field="class"]').textContent = n.class_label;
    panel.querySelector('[data-field="label"]').textContent = n.label;
    panel.querySelector('[data-field="detail"]').textContent =
      [n.country, n.date, n.confidence === "unverified" ? "unverified" : ""].filter(Boolean).join(" · ");
    panel.querySelector('[data-field="open"]').setAttribute("href", "/entity/" + encodeURIComponent(n.record_id) +
      (meta.as_of ? "?as_of=" + encodeURIComponent(meta.as_of) : ""));
    panel.querySelector('[data-field="recentre"]').setAttribute("href", recentreUrl(n));
    panel.hidden = false;
  }

  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var id = params.nodes[0];
    if (foldOf[id] === undefined && String(id).indexOf("more:") === 0) {
      expand(id);
      return;
    }
    var n = byId(id);
    if (n) showPanel(n);
  });
  network.on("doubleClick", function (params) {
    var n = params.nodes.length ? byId(params.nodes[0]) : null;
    if (n && n.id !== meta.centre) window.location.assign(recentreUrl(n));
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    network.fit({ animation: false });
  });
  network.once("afterDrawing", function () {
    countVisible();
    container.setAttribute("data-ready", "true");
  });

  /* Keyboard: "]" and "[" step through the nodes, Enter opens the selected one's page. */
  var order = payload.nodes.map(function (n) { return n.id; });
  var cursor = -1;
  container.addEventListener("keydown", function (ev) {
    if (ev.key !== "]" && ev.key !== "[" && ev.key !== "Enter") return;
    var visible = order.filter(function (id) { var n = nodes.get(id); return n && !n.hidden; });
    if (!visible.length) return;
    if (ev.key === "Enter") {
      var chosen = network.getSelectedNodes()[0];
      var n = chosen ? byId(chosen) : null;
      if (n) window.location.assign(panel.querySelector('[data-field="open"]').getAttribute("href"));
      return;
    }
    ev.preventDefault();
    cursor = (cursor + (ev.key === "]" ? 1 : visible.length - 1)) % visible.length;
    network.selectNodes([visible[cursor]]);
    network.focus(visible[cursor], { scale: network.getScale(), animation: false });
    var picked = byId(visible[cursor]);
    if (picked) showPanel(picked);
  });

  function downloadPng() {
    var source = container.querySelector("canvas");
    if (!source) return;
    var pad = 24, head = 64, foot = 56;
    var out = document.createElement("canvas");
    out.width = source.width + 2 * pad;
    out.height = source.height + head + foot + 2 * pad;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, pad, pad + head);
    ctx.fillStyle = "#111827";
    ctx.font = "bold 22px system-ui, sans-serif";
    ctx.fillText(meta.title || "TechCurbs network", pad, pad + 26);
    ctx.font = "15px system-ui, sans-serif";
    ctx.fillStyle = "#4b5563";
    ctx.fillText("As of " + (meta.as_of || "the latest build") + " · " + payload.nodes.length + " entities, " +
                 payload.edges.length + " relations", pad, pad + 52);
    ctx.fillText("Source: TechCurbs knowledge graph, build " + (meta.build || "") + " · " +
                 window.location.origin + (meta.permalink || ""), pad, out.height - pad - 8);
    out.toBlob(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "techcurbs-" + (meta.as_of ? "as-of-" + meta.as_of + "-" : "") + "view.png";
      document.body.appendChild(a);
      a.click();
      window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }, "image/png");
  }

  document.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-action");
      if (action === "fit") network.fit();
      if (action === "png") downloadPng();
      if (action === "expand") {
        (payload.folds || []).slice().forEach(function (f) { expand(f.id); });
        button.disabled = true;
      }
    });
  });
  countVisible();
})();
