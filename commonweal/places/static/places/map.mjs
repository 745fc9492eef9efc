// Draws the places maps from GeoJSON that the page carries in a json_script block.
// No inline script or style attributes: the strict CSP allows only our own files.
import { drawBoundaries, startMap } from "./basemap.mjs";

const L = window.L;
const UNKNOWN = "#b1b4b6";

function decileColour(decile) {
  const swatch = document.querySelector(`.places-decile-${decile}`);
  return swatch ? getComputedStyle(swatch).backgroundColor : UNKNOWN;
}

function readData(container) {
  const source = document.getElementById(container.dataset.mapData);
  return source ? JSON.parse(source.textContent) : null;
}

function shaded(feature, outline) {
  return {
    color: outline,
    weight: 1,
    fillColor: decileColour(feature.properties.decile),
    fillOpacity: 0.7,
  };
}

function labelled(feature, layer) {
  if (feature.properties.label) {
    layer.bindTooltip(feature.properties.label, { sticky: true });
  }
  if (feature.properties.url) {
    layer.on("click", () => window.location.assign(feature.properties.url));
  }
}

function drawWards(map, data) {
  return L.geoJSON(data, { style: (f) => shaded(f, "#0b0c0c"), onEachFeature: labelled }).addTo(map);
}

function drawWard(map, data) {
  L.geoJSON(data.areas, { style: (f) => shaded(f, "#505a5f"), onEachFeature: labelled }).addTo(map);
  return L.geoJSON(data.outline, { style: { color: "#0b0c0c", weight: 3, fill: false } }).addTo(map);
}

function drawMap(container) {
  const data = readData(container);
  if (!L || !data) return;
  // Fractional zoom lets a borough or a single ward fill the frame; the wheel is left to scroll the page.
  const map = startMap(container, { zoomSnap: 0.25 });
  drawBoundaries(map, container);
  const layer = container.dataset.mapKind === "ward" ? drawWard(map, data) : drawWards(map, data);
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [10, 10] });
  } else {
    map.setView([51.5, -0.12], 10);
  }
}

document.querySelectorAll(".places-map[data-map-data]").forEach(drawMap);
