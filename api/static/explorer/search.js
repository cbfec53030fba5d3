/* Type-ahead over names and aliases, and the colour swatches of every page. Text from data is set with
   textContent only, never as markup. */
(function () {
  "use strict";

  function paintSwatches(root) {
    root.querySelectorAll("[data-colour]").forEach(function (el) {
      var colour = el.getAttribute("data-colour") || "";
      if (/^#[0-9a-fA-F]{3,8}$/.test(colour)) {
        el.style.setProperty("--swatch", colour);
      }
    });
  }

  function setup(box) {
    var input = box.querySelector("input");
    var list = box.querySelector("ul");
    var fill = box.getAttribute("data-fill") === "id";
    var submit = box.getAttribute("data-submit") === "true";

    function choose(li) {
      if (fill) {
        input.value = li.dataset.id;
        close();
        if (submit && input.form) input.form.submit();
      } else {
        window.location.assign(li.dataset.url);
      }
    }
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      }
    }

    function show(results) {
      list.textContent = "";
      items = results.map(function (hit, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = hit.url;
        li.dataset.id = hit.id;
        var dot = document.createElement("span");
        dot.className = "swatch";
        dot.setAttribute("data-colour", hit.colour);
        var name = document.createElement("span");
        name.className = "s-name";
        name.textContent = hit.label;
        var meta = document.createElement("span");
        meta.className = "s-meta";
        var parts = [hit.type];
        if (hit.country) parts.push(hit.country);
        if (hit.matched) parts.push("“" + hit.matched + "”");
        meta.textContent = parts.join(" · ");
        li.appendChild(dot);
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (ev) {
          ev.preventDefault();
          choose(li);
        });
        list.appendChild(li);
        return li;
      });
      paintSwatches(list);
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }

    function lookup() {
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      var ticket = ++latest;
      fetch("/api/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) {
          if (ticket === latest) show(body.results || []);
        })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 120);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" && items.length) {
        ev.preventDefault();
        highlight((active + 1) % items.length);
      } else if (ev.key === "ArrowUp" && items.length) {
        ev.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        choose(items[active]);
      } else if (ev.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-typeahead]").forEach(setup);
  paintSwatches(document);
})();
