// A map to pick a point with (raising a blockage, a map question in a consultation): click or tap a place to fill
// in the latitude and longitude fields (which also work typed by hand, so the page needs no script). The
// council's wards are drawn under it, so it is never a grey box. The page marks its map `data-pick-point`.
import { drawBoundaries, startMap } from "./basemap.mjs";

const L = window.L;
const container = document.querySelector("[data-pick-point]");
const latitude = document.getElementById("id_latitude");
const longitude = document.getElementById("id_longitude");

if (L && container && latitude && longitude) {
  container.hidden = false;
  const map = startMap(container, {});
  map.setView([51.5, -0.12], 11);
  let marker = null;
  const place = (lat, lon) => {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.marker([lat, lon], { keyboard: false }).addTo(map);
  };
  const typed = () => {
    const lat = parseFloat(latitude.value);
    const lon = parseFloat(longitude.value);
    if (!Number.isNaN(lat) && !Number.isNaN(lon)) place(lat, lon);
  };
  drawBoundaries(map, container).then((bounds) => {
    if (bounds && bounds.isValid()) map.fitBounds(bounds);
    typed();
  });
  map.on("click", (event) => {
    latitude.value = event.latlng.lat.toFixed(6);
    longitude.value = event.latlng.lng.toFixed(6);
    place(event.latlng.lat, event.latlng.lng);
  });
  latitude.addEventListener("change", typed);
  longitude.addEventListener("change", typed);
}
