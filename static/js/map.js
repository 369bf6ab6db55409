/* Common Ground map: layer toggles, styles by kind and class, popups, area outlines.
   Features are fetched for the part of the map in view only, simplified to the zoom. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var map = L.map("map", { preferCanvas: true, zoomSnap: 0.5 });
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  if (config.bounds) {
    map.fitBounds(config.bounds);
  } else {
    map.setView([0, 0], 2);
    document.getElementById("map-notice").textContent = strings.empty;
  }

  var KIND_COLOURS = {
    roads: "#555555", buildings: "#8c6d46", blocks: "#b0a58f", population: "#6a51a3",
    vulnerable: "#d62728", resources: "#2ca02c", historic: "#ff7f0e", hazard: "#1f77b4",
    other: "#7f7f7f"
  };
  var CLASS_COLOURS = ["#08519c", "#6baed6", "#c6dbef", "#fd8d3c", "#e6550d", "#a63603"];
  // Hazard classes: the worst reads red. Words users put in class fields, worst first.
  var SEVERITY = ["extreme", "very high", "high", "yes", "true", "iii", "3", "medium",
                  "moderate", "ii", "2", "low", "i", "1", "very low", "no", "false", "none", "0"];
  var HAZARD_COLOURS = ["#b30000", "#b30000", "#e34a33", "#e34a33", "#e34a33", "#e34a33",
                        "#e34a33", "#fc8d59", "#fc8d59", "#fc8d59", "#fc8d59", "#fdcc8a",
                        "#fdcc8a", "#fdcc8a", "#fef0d9", "#d9e6f2", "#d9e6f2", "#d9e6f2",
                        "#d9e6f2"];

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function popup(properties) {
    var rows = Object.keys(properties || {}).filter(function (k) {
      return properties[k] !== null && properties[k] !== "";
    }).map(function (k) {
      return "<tr><th>" + escapeHtml(k) + "</th><td>" + escapeHtml(properties[k]) + "</td></tr>";
    });
    return "<table class='popup'>" + rows.join("") + "</table>";
  }

  var active = {};  // layer id -> {group, spec, classes}

  function classColour(entry, value) {
    var key = String(value === null || value === undefined ? "" : value).trim().toLowerCase();
    if (!(key in entry.classes)) {
      var rank = entry.spec.kind === "hazard" ? SEVERITY.indexOf(key) : -1;
      entry.classes[key] = rank >= 0 ? HAZARD_COLOURS[rank] :
        CLASS_COLOURS[Object.keys(entry.classes).length % CLASS_COLOURS.length];
    }
    return entry.classes[key];
  }

  function styleFor(entry) {
    return function (feature) {
      var colour = KIND_COLOURS[entry.spec.kind] || "#7f7f7f";
      if (entry.spec.classField && feature.properties) {
        colour = classColour(entry, feature.properties[entry.spec.classField]);
      }
      return { color: colour, weight: entry.spec.kind === "roads" ? 2 : 1, fillColor: colour,
               fillOpacity: entry.spec.kind === "hazard" ? 0.35 : 0.6 };
    };
  }

  function load(entry) {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(6);
    }).join(",");
    var url = entry.spec.url + "?bbox=" + bbox + "&zoom=" + Math.round(map.getZoom());
    var request = (entry.request || 0) + 1;
    entry.request = request;
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        if (entry.request !== request || !active[entry.spec.id]) { return; }
        entry.group.clearLayers();
        entry.group.addData(data);
        entry.truncated = Boolean(data.truncated);
        renderLegend();
      });
  }

  function toggle(spec, on) {
    if (on) {
      var entry = { spec: spec, classes: {} };
      entry.group = L.geoJSON(null, {
        style: styleFor(entry),
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 5 });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      active[spec.id] = entry;
      load(entry);
    } else if (active[spec.id]) {
      map.removeLayer(active[spec.id].group);
      delete active[spec.id];
      renderLegend();
    }
  }

  function renderLegend() {
    var html = [];
    var notices = [];
    Object.keys(active).forEach(function (id) {
      var entry = active[id];
      var swatches = Object.keys(entry.classes).map(function (key) {
        return "<li><span class='swatch' style='background:" + entry.classes[key] + "'></span>" +
          escapeHtml(key || "—") + "</li>";
      });
      if (!swatches.length) {
        swatches = ["<li><span class='swatch' style='background:" +
          (KIND_COLOURS[entry.spec.kind] || "#7f7f7f") + "'></span>" +
          escapeHtml(entry.spec.kindLabel) + "</li>"];
      }
      html.push("<h3>" + escapeHtml(entry.spec.name) + "</h3><ul>" + swatches.join("") + "</ul>");
      if (entry.truncated) { notices.push(strings.zoomIn + " " + entry.spec.name); }
    });
    if (choropleth.value && areaLegend) {
      html.unshift("<h3>" + escapeHtml(choropleth.options[choropleth.selectedIndex].text) +
        "</h3><ul>" + SHARE_COLOURS.map(function (colour, i) {
          return "<li><span class='swatch' style='background:" + colour + "'></span>" +
            escapeHtml(legendLabel(i)) + "</li>";
        }).join("") + "<li><span class='swatch' style='background:#cccccc'></span>" +
        escapeHtml(strings.noValue) + "</li></ul>");
    }
    document.getElementById("legend").innerHTML = html.join("");
    document.getElementById("map-notice").textContent = notices.join(" · ");
  }

  var toggles = document.getElementById("layer-toggles");
  if (!config.layers.length) {
    toggles.insertAdjacentHTML("beforeend", "<p class='muted'>" + escapeHtml(strings.noLayers) + "</p>");
  }
  config.layers.forEach(function (spec, index) {
    var id = "layer-" + spec.id;
    toggles.insertAdjacentHTML("beforeend",
      "<label><input type='checkbox' id='" + id + "' data-layer='" + spec.id + "'> " +
      escapeHtml(spec.name) + (spec.kindLabel === spec.name ? "" :
        " <small class='muted'>" + escapeHtml(spec.kindLabel) + "</small>") + "</label>");
    var box = document.getElementById(id);
    box.addEventListener("change", function () { toggle(spec, box.checked); });
    if (index < 3) { box.checked = true; toggle(spec, true); }
  });

  var areaLayer = null;
  var areaLegend = null;  // {kind, lo, hi} of the coloured areas
  var choropleth = document.getElementById("choropleth");
  var SHARE_COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  function colourFor(value) {
    if (value === null || value === undefined || !areaLegend) { return "#cccccc"; }
    var span = areaLegend.hi - areaLegend.lo;
    var step = span > 0 ? Math.floor((value - areaLegend.lo) / span * 5) : 2;
    return SHARE_COLOURS[Math.max(0, Math.min(4, step))];
  }
  function legendLabel(i) {
    var span = areaLegend.hi - areaLegend.lo;
    var from = areaLegend.lo + span * i / 5, to = areaLegend.lo + span * (i + 1) / 5;
    if (areaLegend.kind === "share") { return Math.round(from * 100) + "–" + Math.round(to * 100) + " %"; }
    var digits = span >= 50 ? 0 : 1;
    return from.toFixed(digits) + "–" + to.toFixed(digits);
  }
  function addGroup(label) {
    var group = document.createElement("optgroup");
    group.label = label;
    choropleth.appendChild(group);
    return group;
  }
  if ((config.runs || []).length) {
    var runGroup = addGroup(strings.runs);
    config.runs.forEach(function (run) {
      runGroup.insertAdjacentHTML("beforeend", "<option value='run:" + run.id + "' data-levels='" +
        escapeHtml(run.level) + "'>" + escapeHtml(run.name) + "</option>");
    });
  }
  (config.profiles || []).forEach(function (profile) {
    var group = addGroup(profile.name);
    profile.fields.forEach(function (field) {
      group.insertAdjacentHTML("beforeend", "<option value='risk:" + profile.id + ":" +
        escapeHtml(field.column) + "' data-levels='" + escapeHtml(field.levels.join(" ")) + "'>" +
        escapeHtml(field.label) + "</option>");
    });
  });
  var levels = document.getElementById("area-levels");
  config.levels.forEach(function (level) {
    levels.insertAdjacentHTML("beforeend", "<label><input type='radio' name='area-level' value='" +
      escapeHtml(level.value) + "'> " + escapeHtml(level.label) + "</label>");
  });
  function choroplethQuery() {
    var parts = (choropleth.value || "").split(":");
    if (parts[0] === "run") { return "&run=" + parts[1]; }
    if (parts[0] === "risk") {
      return "&risk=" + parts[1] + "&indicator=" + encodeURIComponent(parts.slice(2).join(":"));
    }
    return "";
  }
  function showAreas(level) {
    if (areaLayer) { map.removeLayer(areaLayer); areaLayer = null; }
    areaLegend = null;
    if (!level) { renderLegend(); return; }
    var query = choroplethQuery();
    var coloured = Boolean(query);
    fetch(config.areasUrl + "?level=" + encodeURIComponent(level) + query, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (coloured) {
          var numbers = data.features.map(function (f) { return f.properties.value; })
            .filter(function (v) { return typeof v === "number"; });
          var kind = (data.legend || {}).kind || "value";
          areaLegend = kind === "score" ? { kind: kind, lo: 0, hi: 10 } :
            kind === "share" ? { kind: kind, lo: 0, hi: 1 } :
            { kind: kind, lo: numbers.length ? Math.min.apply(null, numbers) : 0,
              hi: numbers.length ? Math.max.apply(null, numbers) : 1 };
        }
        areaLayer = L.geoJSON(data, {
          // Outlines are for orientation: clicks pass through to the features inside.
          interactive: coloured,
          style: function (feature) {
            // Outlines only (clicks go to the layers inside); coloured areas sit underneath.
            if (!coloured) { return { color: "#222", weight: 2, fill: false, dashArray: "4 3" }; }
            return { color: "#444", weight: 1, fillColor: colourFor(feature.properties.value),
                     fillOpacity: 0.75 };
          },
          onEachFeature: function (feature, layer) {
            var properties = Object.assign({}, feature.properties);
            delete properties.share;
            layer.bindPopup(popup(properties));
          }
        }).addTo(map);
        if (coloured) { areaLayer.bringToBack(); }
        renderLegend();
      });
  }
  function selectedLevels() {
    var option = choropleth.options[choropleth.selectedIndex];
    return (option && option.getAttribute("data-levels") || "").split(" ").filter(Boolean);
  }
  levels.addEventListener("change", function (event) {
    // A risk index rolls up: keep colouring when the new level has it.
    if (selectedLevels().indexOf(event.target.value) < 0) { choropleth.value = ""; }
    showAreas(event.target.value);
  });
  choropleth.addEventListener("change", function () {
    var allowed = selectedLevels();
    var current = levels.querySelector("input:checked");
    var level = current && allowed.indexOf(current.value) >= 0 ? current.value : (allowed[0] || "");
    var radio = levels.querySelector("input[value='" + level + "']");
    if (radio) { radio.checked = true; }
    showAreas(level);
  });
  // Opened from a risk profile's page: colour by its risk at the level it showed.
  var params = new URLSearchParams(window.location.search);
  if (params.get("risk")) {
    choropleth.value = "risk:" + params.get("risk") + ":" + (params.get("indicator") || "risk");
    if (choropleth.value) {
      var wanted = levels.querySelector("input[value='" + (params.get("level") || "") + "']");
      if (wanted && selectedLevels().indexOf(wanted.value) >= 0) { wanted.checked = true; }
      choropleth.dispatchEvent(new Event("change"));
    }
  }

  // "Save as PNG": the vector layers are drawn on canvases, so they can be copied into one
  // image with a title, the legend and the data credits, ready for a report.
  function savePng() {
    var size = map.getSize();
    var legendWidth = 240;
    var out = document.createElement("canvas");
    out.width = size.x + legendWidth;
    out.height = size.y + 40;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#1d2430";
    ctx.font = "bold 16px sans-serif";
    ctx.fillText(strings.title, 10, 24);
    var origin = map.getContainer().getBoundingClientRect();
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 36, size.x, size.y);  // Leaflet's canvas overhangs the view; keep what is seen
    ctx.clip();
    ctx.fillStyle = "#eef1f4";
    ctx.fillRect(0, 36, size.x, size.y);
    map.getContainer().querySelectorAll("canvas").forEach(function (canvas) {
      var box = canvas.getBoundingClientRect();
      ctx.drawImage(canvas, box.left - origin.left, box.top - origin.top + 36, box.width, box.height);
    });
    ctx.restore();
    var y = 60;
    document.querySelectorAll("#legend h3, #legend li").forEach(function (node) {
      var swatch = node.querySelector && node.querySelector(".swatch");
      if (node.tagName === "H3") {
        ctx.font = "bold 13px sans-serif";
        ctx.fillStyle = "#1d2430";
        ctx.fillText(node.textContent, size.x + 12, y);
      } else {
        if (swatch) {
          ctx.fillStyle = swatch.style.background;
          ctx.fillRect(size.x + 12, y - 10, 12, 12);
        }
        ctx.font = "12px sans-serif";
        ctx.fillStyle = "#1d2430";
        ctx.fillText(node.textContent, size.x + 30, y);
      }
      y += 18;
    });
    ctx.font = "11px sans-serif";
    ctx.fillStyle = "#5b6575";
    if (strings.credit) { ctx.fillText(strings.credit, 10, out.height - 8); }
    var link = document.createElement("a");
    link.download = "map.png";
    link.href = out.toDataURL("image/png");
    link.click();
    return link.href;
  }
  document.getElementById("save-png").addEventListener("click", savePng);

  map.on("moveend", function () {
    Object.keys(active).forEach(function (id) { load(active[id]); });
  });
  // For people and tests alike: how many features each visible layer draws right now.
  window.commongroundMap = {
    map: map,
    savePng: savePng,
    drawn: function () {
      var counts = {};
      Object.keys(active).forEach(function (id) {
        counts[active[id].spec.name] = active[id].group.getLayers().length;
      });
      counts.areas = areaLayer ? areaLayer.getLayers().length : 0;
      return counts;
    }
  };
})();
