// What every map in the platform shares: the council's boundary and its wards drawn under everything else
// (so a map is never a grey box, with or without tiles), optional tiles, and Leaflet's marker images from our
// own static files. Each map's container carries the addresses in data attributes:
//   data-boundaries-url  the base layer's GeoJSON (places:boundaries, cached by the browser)
//   data-tile-url, data-tile-attribution  optional tiles, configured by the council
//   data-marker-icon, data-marker-icon-2x, data-marker-shadow  Leaflet's default marker images
const L = window.L;
export const CREDIT = "Contains OS data © Crown copyright and database right";

// Without tiles the wards are pale land on the grey map; over tiles they are lines only, so the tiles show.
const WARD_LINE = { color: "#505a5f", weight: 1, fillColor: "#ffffff", fillOpacity: 0.7, className: "commonweal-ward-line" };
const COUNCIL_LINE = { color: "#0b0c0c", weight: 3, fill: false, className: "commonweal-council-line" };

export function useOwnMarkerImages(container) {
  const { markerIcon, markerIcon2x, markerShadow } = container.dataset;
  if (!L || !markerIcon) return;
  // Leaflet guesses its image folder from its stylesheet, which fails once the files are renamed for caching
  // (it asked for /directory/marker-icon.png); the full addresses make the guess unnecessary.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({ iconUrl: markerIcon, iconRetinaUrl: markerIcon2x || markerIcon, shadowUrl: markerShadow || "" });
}

export function startMap(container, options) {
  useOwnMarkerImages(container);
  const map = L.map(container, { scrollWheelZoom: false, ...options });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(CREDIT);
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, { attribution: container.dataset.tileAttribution || "" }).addTo(map);
  }
  // Under the map's own shapes and markers, and never in the way of a click or a tap.
  const pane = map.createPane("commonweal-base");
  pane.style.zIndex = "350";
  pane.style.pointerEvents = "none";
  return map;
}

// Draws the base layer; resolves to its bounds (the whole council) for maps with nothing else to fit to.
export async function drawBoundaries(map, container) {
  const url = container.dataset.boundariesUrl;
  if (!url) return null;
  let data;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return null;
    data = await response.json();
  } catch {
    return null; // the map still shows its own layer; the page's list or table says the same
  }
  const layer = L.geoJSON(data, {
    pane: "commonweal-base",
    interactive: false,
    style: (feature) =>
      feature.properties.kind === "council" ? COUNCIL_LINE : { ...WARD_LINE, fill: !container.dataset.tileUrl },
  }).addTo(map);
  return layer.getBounds();
}
