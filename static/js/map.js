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
    if (choropleth.value) {
      html.unshift("<h3>" + escapeHtml(choropleth.options[choropleth.selectedIndex].text) +
        "</h3><ul>" + SHARE_COLOURS.map(function (colour, i) {
          return "<li><span class='swatch' style='background:" + colour + "'></span>" +
            (i * 20) + "–" + ((i + 1) * 20) + " %</li>";
        }).join("") + "</ul>");
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
  var choropleth = document.getElementById("choropleth");
  var SHARE_COLOURS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  function shareColour(share) {
    if (share === null || share === undefined) { return "#cccccc"; }
    return SHARE_COLOURS[Math.min(4, Math.floor(share * 5))];
  }
  (config.runs || []).forEach(function (run) {
    choropleth.insertAdjacentHTML("beforeend", "<option value='" + run.id + "' data-level='" +
      escapeHtml(run.level) + "'>" + escapeHtml(run.name) + "</option>");
  });
  var levels = document.getElementById("area-levels");
  config.levels.forEach(function (level) {
    levels.insertAdjacentHTML("beforeend", "<label><input type='radio' name='area-level' value='" +
      escapeHtml(level.value) + "'> " + escapeHtml(level.label) + "</label>");
  });
  function showAreas(level, runId) {
    if (areaLayer) { map.removeLayer(areaLayer); areaLayer = null; }
    if (!level) { renderLegend(); return; }
    var url = config.areasUrl + "?level=" + encodeURIComponent(level) + (runId ? "&run=" + runId : "");
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        areaLayer = L.geoJSON(data, {
          // Outlines are for orientation: clicks pass through to the features inside.
          interactive: Boolean(runId),
          // Filled (transparent unless coloured), so a click anywhere inside names the area.
          style: function (feature) {
            // Outlines only (clicks go to the layers inside); coloured areas sit underneath.
            if (!runId) { return { color: "#222", weight: 2, fill: false, dashArray: "4 3" }; }
            return { color: "#444", weight: 1, fillColor: shareColour(feature.properties.share),
                     fillOpacity: 0.75 };
          },
          onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
        }).addTo(map);
        if (runId) { areaLayer.bringToBack(); }
        renderLegend();
      });
  }
  levels.addEventListener("change", function (event) {
    choropleth.value = "";
    showAreas(event.target.value, null);
  });
  choropleth.addEventListener("change", function () {
    var option = choropleth.options[choropleth.selectedIndex];
    var level = option.getAttribute("data-level") || "";
    var radio = levels.querySelector("input[value='" + level + "']");
    if (radio) { radio.checked = true; }
    showAreas(level, choropleth.value || null);
  });

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
