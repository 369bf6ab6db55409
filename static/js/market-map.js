/* Common Ground marketplace: the listed needs or offers that have a location, on a small map.
   Works without a basemap (tile URL from the page); each marker links to its listing. */
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("market-map");
    var data = document.getElementById("market-points");
    if (!holder || !data || typeof L === "undefined" || holder.dataset.drawn) { return; }
    holder.dataset.drawn = "1";
    var config = JSON.parse(data.textContent);
    var map = L.map(holder, { preferCanvas: true, scrollWheelZoom: false });
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    }
    var bounds = [];
    config.points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 7, color: "#b3261e", weight: 2, fillColor: "#fb6a4a", fillOpacity: 0.8
      }).addTo(map);
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      marker.bindPopup(link);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
  }

  draw();
  // Filters replace the results (and their map) without reloading the page.
  document.body.addEventListener("htmx:afterSwap", draw);
})();
