// A choropleth of wards (the directory's gaps, where the funding went), from GeoJSON in a json_script block.
// The map's container says which shades to use: data-choropleth="gaps-class" reads the colour of the key's
// swatch .gaps-class-N for class N. The map block is hidden in the HTML, so without JavaScript only the table
// (the same figures) shows.
// Each ward is reachable by keyboard (Tab), says its figure, and Enter or a click goes to its row in the table.
import { drawBoundaries, startMap } from "./basemap.mjs";

const L = window.L;

function shade(prefix, cls) {
  const swatch = document.querySelector(`.${prefix}-${cls === null || cls === undefined ? "none" : cls}`);
  return swatch ? getComputedStyle(swatch).backgroundColor : "#b1b4b6";
}

function goToRow(code) {
  const row = document.getElementById(`ward-${code}`);
  if (!row) return;
  window.location.hash = `ward-${code}`;
  const link = row.querySelector("a");
  if (link) link.focus();
}

function wire(feature, layer) {
  const { code, label } = feature.properties;
  layer.bindTooltip(label, { sticky: true });
  layer.on("click", () => goToRow(code));
  layer.on("add", () => {
    const path = layer.getElement();
    if (!path) return;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "link");
    path.setAttribute("aria-label", `${label}. Go to its row in the table.`);
    path.addEventListener("focus", () => layer.openTooltip(layer.getBounds().getCenter()));
    path.addEventListener("blur", () => layer.closeTooltip());
    path.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        goToRow(code);
      }
    });
  });
}

function draw(container) {
  const source = document.getElementById(container.dataset.mapData);
  if (!L || !source) return;
  const data = JSON.parse(source.textContent);
  const block = container.closest("[data-choropleth-block]");
  if (block) block.hidden = false; // Leaflet needs the container laid out before it measures it
  const map = startMap(container, { zoomSnap: 0.25 });
  drawBoundaries(map, container);
  const layer = L.geoJSON(data, {
    style: (feature) => ({ color: "#0b0c0c", weight: 1, fillColor: shade(container.dataset.choropleth, feature.properties.class), fillOpacity: 0.85 }),
    onEachFeature: wire,
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [10, 10] });
  } else {
    map.setView([51.5, -0.12], 10);
  }
}

document.querySelectorAll("[data-choropleth][data-map-data]").forEach(draw);
