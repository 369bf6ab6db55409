/* Common Ground network map: an SVG drawn from the server's layout (graph.json).
   Pan by dragging, zoom with the wheel or the buttons, hover or click a node for details,
   colour by community / stakeholder stage / organisation type, size by centrality, and
   highlight "who could introduce A to B" (path.json). No third-party code. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("network-config").textContent);
  var strings = JSON.parse(document.getElementById("network-strings").textContent);
  var SVG_NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("network-map");
  var tooltip = document.getElementById("network-tooltip");
  var details = document.getElementById("node-details");
  var notes = document.getElementById("network-notes");
  var legend = document.getElementById("network-legend");
  var sourceSelect = document.getElementById("path-source");
  var targetSelect = document.getElementById("path-target");
  var pathResult = document.getElementById("path-result");
  var controls = {
    community: document.getElementById("filter-community"),
    type: document.getElementById("filter-type"),
    colour: document.getElementById("colour-by"),
    size: document.getElementById("size-by")
  };
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                 "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939"];
  var GREY = "#9aa3ae";

  var state = {
    data: null, byId: {}, view: { x: 0, y: 0, k: 1 }, selected: null, path: null,
    optionsLoaded: false, ready: false, request: 0
  };
  var viewport, linkLayer, nodeLayer, labelLayer;

  function el(name, attrs) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function setUp() {
    var defs = el("defs");
    var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "18", refY: "5",
      markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#7b8594" }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    viewport = el("g", { "class": "viewport" });
    linkLayer = el("g", { "class": "links" });
    nodeLayer = el("g", { "class": "nodes" });
    labelLayer = el("g", { "class": "labels" });
    viewport.appendChild(linkLayer);
    viewport.appendChild(nodeLayer);
    viewport.appendChild(labelLayer);
    svg.appendChild(viewport);
    svg.setAttribute("viewBox", "0 0 1000 620");  // the server's layout frame
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  }

  function applyView() {
    var v = state.view;
    viewport.setAttribute("transform", "translate(" + v.x + " " + v.y + ") scale(" + v.k + ")");
    svg.classList.toggle("zoomed", v.k > 2);
  }

  // Screen pixels to the 0–1000 drawing coordinates the layout uses.
  function svgPoint(clientX, clientY) {
    var point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function zoomAt(factor, cx, cy) {
    var v = state.view;
    var k = Math.max(0.3, Math.min(12, v.k * factor));
    v.x = cx - (cx - v.x) * (k / v.k);
    v.y = cy - (cy - v.y) * (k / v.k);
    v.k = k;
    applyView();
  }

  function colourKey(node) {
    var by = controls.colour.value;
    if (by === "stage") { return node.stage; }
    if (by === "type") { return node.type; }
    return node.community;
  }

  function colourMap() {
    var keys = {};
    state.data.nodes.forEach(function (n) {
      var key = colourKey(n);
      if (key !== null && key !== undefined && key !== "") { keys[key] = (keys[key] || 0) + 1; }
    });
    var ordered = Object.keys(keys).sort(function (a, b) {
      return controls.colour.value === "community" ? Number(a) - Number(b) : a.localeCompare(b);
    });
    var map = {};
    ordered.forEach(function (key, i) { map[key] = PALETTE[i % PALETTE.length]; });
    return map;
  }

  function radius(node, max) {
    var value = node[controls.size.value] || 0;
    return 6 + 16 * Math.sqrt(max > 0 ? value / max : 0);
  }

  function draw() {
    var data = state.data;
    [linkLayer, nodeLayer, labelLayer].forEach(function (layer) {
      while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    });
    if (!data.nodes.length) {
      notes.hidden = false;
      notes.textContent = strings.empty;
      return;
    }
    var colours = colourMap();
    var sizeKey = controls.size.value;
    var max = data.nodes.reduce(function (m, n) { return Math.max(m, n[sizeKey] || 0); }, 0);
    data.links.forEach(function (link) {
      var a = state.byId[link.source], b = state.byId[link.target];
      if (!a || !b) { return; }
      var line = el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y,
        "stroke-width": 0.4 + link.strength * 0.35,
        "class": "link" + (link.bridge ? " bridge" : ""),
        "data-source": link.source, "data-target": link.target });
      if (link.heads.indexOf(link.target) >= 0) { line.setAttribute("marker-end", "url(#arrow)"); }
      if (link.heads.indexOf(link.source) >= 0) { line.setAttribute("marker-start", "url(#arrow)"); }
      linkLayer.appendChild(line);
      link.element = line;
    });
    var bySize = data.nodes.slice().sort(function (p, q) { return (q[sizeKey] || 0) - (p[sizeKey] || 0); });
    var labelled = {};
    bySize.slice(0, 25).forEach(function (n) { labelled[n.id] = true; });
    data.nodes.forEach(function (node) {
      var r = radius(node, max);
      var key = colourKey(node);
      var circle = el("circle", { cx: node.x, cy: node.y, r: r,
        fill: colours[key] || GREY, "class": "node" + (node.articulation ? " articulation" : ""),
        "data-id": node.id, tabindex: "0", role: "button", "aria-label": node.name });
      nodeLayer.appendChild(circle);
      node.element = circle;
      node.r = r;
      if (labelled[node.id]) {
        var label = el("text", { x: node.x + r + 3, y: node.y + 5, "class": "label" });
        label.textContent = node.label;
        labelLayer.appendChild(label);
      }
    });
    drawLegend(colours);
    highlightPath();
    if (state.selected && state.byId[state.selected]) { select(state.selected); }
  }

  function drawLegend(colours) {
    legend.textContent = "";
    var keys = Object.keys(colours);
    if (!keys.length) { return; }
    var title = controls.colour.options[controls.colour.selectedIndex].text;
    legend.appendChild(text("h3", title));
    var list = document.createElement("ul");
    keys.slice(0, 14).forEach(function (key) {
      var item = document.createElement("li");
      var swatch = text("span", "", "swatch");
      swatch.style.background = colours[key];
      item.appendChild(swatch);
      var name = controls.colour.value === "community" ? strings.community + " " + key : key;
      item.appendChild(document.createTextNode(name));
      list.appendChild(item);
    });
    var other = document.createElement("li");
    var greySwatch = text("span", "", "swatch");
    greySwatch.style.background = GREY;
    other.appendChild(greySwatch);
    other.appendChild(document.createTextNode(
      controls.colour.value === "stage" ? strings.noStage : strings.noCommunity));
    list.appendChild(other);
    legend.appendChild(list);
  }

  function metricRow(dl, label, value) {
    dl.appendChild(text("dt", label));
    dl.appendChild(text("dd", String(value)));
  }

  function select(id) {
    var node = state.byId[id];
    if (!node) { return; }
    state.selected = id;
    Array.prototype.forEach.call(nodeLayer.querySelectorAll(".selected"), function (c) {
      c.classList.remove("selected");
    });
    node.element.classList.add("selected");
    details.textContent = "";
    details.appendChild(text("h2", node.name));
    var dl = document.createElement("dl");
    metricRow(dl, strings.degree, node.degree);
    metricRow(dl, strings.degreeCentrality, node.degree_centrality);
    metricRow(dl, strings.betweenness, node.betweenness);
    metricRow(dl, strings.community, node.community === null ? strings.noCommunity : node.community);
    metricRow(dl, strings.inOut, node["in"] + " / " + node.out);
    if (config.hasStages) { metricRow(dl, strings.stage, node.stage || strings.noStage); }
    details.appendChild(dl);
    if (node.articulation) { details.appendChild(text("p", strings.articulation, "warning small")); }
    if (!node.degree) { details.appendChild(text("p", strings.isolated, "muted small")); }
    var links = document.createElement("p");
    var open = text("a", strings.open);
    open.href = config.organisationUrl + node.id + "/";
    var rels = text("a", strings.relationships);
    rels.href = config.relationshipsUrl + "?organisation=" + node.id;
    links.appendChild(open);
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(rels);
    details.appendChild(links);
  }

  function showTooltip(node, event) {
    tooltip.textContent = node.name;
    tooltip.hidden = false;
    var box = svg.parentNode.getBoundingClientRect();
    tooltip.style.left = (event.clientX - box.left + 12) + "px";
    tooltip.style.top = (event.clientY - box.top + 12) + "px";
  }

  function nodeFromEvent(event) {
    var target = event.target;
    return target && target.classList && target.classList.contains("node") ?
      state.byId[target.getAttribute("data-id")] : null;
  }

  function bindPointer() {
    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      if (nodeFromEvent(event)) { return; }
      drag = { start: svgPoint(event.clientX, event.clientY), vx: state.view.x, vy: state.view.y };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (drag) {
        // The root's coordinates do not move with the viewport, so the offset is direct.
        var p = svgPoint(event.clientX, event.clientY);
        state.view.x = drag.vx + (p.x - drag.start.x);
        state.view.y = drag.vy + (p.y - drag.start.y);
        applyView();
        return;
      }
      var node = nodeFromEvent(event);
      if (node) { showTooltip(node, event); } else { tooltip.hidden = true; }
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointerleave", function () { tooltip.hidden = true; });
    svg.addEventListener("click", function (event) {
      var node = nodeFromEvent(event);
      if (node) { select(node.id); }
    });
    svg.addEventListener("keydown", function (event) {
      var node = nodeFromEvent(event);
      if (node && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        select(node.id);
      }
    });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = svgPoint(event.clientX, event.clientY);
      zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, p.x, p.y);
    }, { passive: false });
    Array.prototype.forEach.call(document.querySelectorAll("[data-zoom]"), function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "reset") { state.view = { x: 0, y: 0, k: 1 }; applyView(); return; }
        zoomAt(how === "in" ? 1.4 : 1 / 1.4, 500, 310);
      });
    });
  }

  function fillSelects(options) {
    [sourceSelect, targetSelect].forEach(function (selectBox) {
      var fragment = document.createDocumentFragment();
      var blank = document.createElement("option");
      blank.value = "";
      blank.textContent = strings.choose;
      fragment.appendChild(blank);
      options.forEach(function (o) {
        var option = document.createElement("option");
        option.value = o[0];
        option.textContent = o[1];
        fragment.appendChild(option);
      });
      selectBox.appendChild(fragment);
    });
    if (config.lead) { sourceSelect.value = String(config.lead); }
  }

  function load() {
    var params = new URLSearchParams();
    if (controls.community.value) { params.set("community", controls.community.value); }
    if (controls.type.value) { params.set("type", controls.type.value); }
    if (state.path) { params.set("include", state.path.nodes.map(function (n) { return n.id; }).join(",")); }
    if (!state.optionsLoaded) { params.set("options", "1"); }
    var request = ++state.request;
    state.ready = false;
    return fetch(config.graphUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (request !== state.request) { return; }
        if (data.options) { fillSelects(data.options); state.optionsLoaded = true; }
        state.data = data;
        state.byId = {};
        data.nodes.forEach(function (n) { state.byId[n.id] = n; });
        notes.hidden = !data.notes.length;
        notes.textContent = data.notes.join(" ");
        draw();
        state.ready = true;
      });
  }

  function highlightPath() {
    svg.classList.toggle("has-path", !!state.path);
    Array.prototype.forEach.call(svg.querySelectorAll(".on-path"), function (e) {
      e.classList.remove("on-path");
    });
    if (!state.path || !state.data) { return; }
    var ids = state.path.nodes.map(function (n) { return n.id; });
    ids.forEach(function (id) {
      if (state.byId[id]) { state.byId[id].element.classList.add("on-path"); }
    });
    state.data.links.forEach(function (link) {
      for (var i = 0; i + 1 < ids.length; i++) {
        if ((link.source === ids[i] && link.target === ids[i + 1]) ||
            (link.target === ids[i] && link.source === ids[i + 1])) {
          link.element.classList.add("on-path");
        }
      }
    });
  }

  function showPath(result) {
    pathResult.textContent = "";
    if (!result.found) {
      state.path = null;
      pathResult.appendChild(text("p", result.message, "muted"));
      highlightPath();
      return;
    }
    state.path = result;
    pathResult.appendChild(text("h3", strings.pathFound));
    var list = document.createElement("ol");
    list.className = "path-steps";
    result.nodes.forEach(function (node, i) {
      var item = text("li", node.name);
      var step = result.steps[i];
      if (step) {
        item.appendChild(text("span", " — " + step.kinds.join(", ") + " (" + strings.strength +
          " " + step.strength + ") →", "muted small"));
      }
      list.appendChild(item);
    });
    pathResult.appendChild(list);
    var missing = result.nodes.some(function (n) { return !state.byId[n.id]; });
    if (missing) { load(); } else { highlightPath(); }
  }

  document.getElementById("network-path").addEventListener("submit", function (event) {
    event.preventDefault();
    var source = sourceSelect.value, target = targetSelect.value;
    if (!source || !target || source === target) {
      pathResult.textContent = "";
      pathResult.appendChild(text("p", strings.pathSame, "muted"));
      return;
    }
    var url = config.pathUrl + "?source=" + encodeURIComponent(source) +
      "&target=" + encodeURIComponent(target);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(showPath);
  });

  controls.community.addEventListener("change", load);
  controls.type.addEventListener("change", load);
  controls.colour.addEventListener("change", draw);
  controls.size.addEventListener("change", draw);

  setUp();
  applyView();
  bindPointer();
  load();

  // For the browser tests and for anyone curious in the console.
  window.commongroundNetwork = {
    ready: function () { return state.ready; },
    drawn: function () {
      return { nodes: nodeLayer.childNodes.length, links: linkLayer.childNodes.length };
    },
    onPath: function () {
      return Array.prototype.map.call(nodeLayer.querySelectorAll(".on-path"), function (c) {
        return Number(c.getAttribute("data-id"));
      });
    }
  };
})();
