// Draws the public directory's maps (search results, a service's places, community assets) from points
// the page carries in a json_script block. The list beside each map says the same, so without
// JavaScript the map simply stays hidden. No innerHTML with listing text: names go in as text nodes.
import { drawBoundaries, startMap } from "../places/basemap.mjs";

const L = window.L;

function readPoints(container) {
  const source = document.getElementById(container.dataset.mapData);
  if (!source) return [];
  try {
    const points = JSON.parse(source.textContent);
    return Array.isArray(points) ? points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon)) : [];
  } catch {
    return [];
  }
}

function label(point) {
  return point.number ? `${point.number}. ${point.name}` : point.name;
}

function popup(point) {
  const box = document.createElement("div");
  const heading = document.createElement("p");
  heading.className = "govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1";
  if (point.url) {
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = point.url;
    link.textContent = label(point);
    heading.append(link);
  } else {
    heading.textContent = label(point);
  }
  box.append(heading);
  for (const line of [point.organisation, point.kind, point.address]) {
    if (line) {
      const text = document.createElement("p");
      text.className = "govuk-body-s govuk-!-margin-bottom-1";
      text.textContent = line;
      box.append(text);
    }
  }
  return box;
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
  const outer = document.createElement("div");
  const inner = document.createElement("span");
  inner.textContent = String(count);
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = " places here: press Enter to zoom in";
  inner.append(hidden);
  outer.append(inner);
  return L.divIcon({ html: outer, className: `marker-cluster marker-cluster-${size}`, iconSize: L.point(40, 40) });
}

function drawMap(container) {
  const points = readPoints(container);
  if (!L || points.length === 0) return;
  // The map (and on Find help its heading, and the link to it above the list) shows only once it can be drawn.
  const block = container.closest("[data-map-block]");
  if (block) block.hidden = false;
  document.querySelectorAll("[data-map-link]").forEach((link) => {
    link.hidden = false;
  });
  container.hidden = false;
  // Marker clusters need a highest zoom, which tiles would otherwise give (and there may be none).
  // No fades: a half-faded popup is hard to read, and some people ask for less motion.
  const map = startMap(container, {
    maxZoom: 18,
    fadeAnimation: false,
    zoomAnimation: false,
    markerZoomAnimation: false,
  });
  drawBoundaries(map, container);
  const group = L.markerClusterGroup
    ? L.markerClusterGroup({
        showCoverageOnHover: false,
        iconCreateFunction: clusterIcon,
        // Clusters of 40 px icons closer than 80 px could cover one another (seen on a phone): gather those.
        maxClusterRadius: 80,
        // Places that share a point fan out far enough that no marker covers the cluster or another
        // marker: each stays a whole target for a finger (WCAG 2.5.8).
        spiderfyDistanceMultiplier: 3,
        // Fan out and zoom without animation: markers reach their places at once (so none sits half-way
        // over the cluster for a finger or an accessibility check), and there is less motion on screen.
        animate: false,
      })
    : L.featureGroup();
  for (const point of points) {
    const marker = L.marker([point.lat, point.lon], { title: label(point), alt: label(point), keyboard: true });
    marker.bindPopup(popup(point));
    group.addLayer(marker);
  }
  const bounds = L.latLngBounds(points.map((p) => [p.lat, p.lon]));
  const lat = Number.parseFloat(container.dataset.centreLat);
  const lon = Number.parseFloat(container.dataset.centreLon);
  if (Number.isFinite(lat) && Number.isFinite(lon)) {
    // The postcode searched near: a ring, not a marker, so it is not mistaken for a service.
    L.circleMarker([lat, lon], { radius: 9, color: "#0b0c0c", weight: 3, fillColor: "#ffdd00", fillOpacity: 1, interactive: false }).addTo(map);
    bounds.extend([lat, lon]);
  }
  if (points.length === 1 && bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(bounds.getCenter(), 15);
  } else {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  }
  // Clusters are worked out for a zoom level, so the markers go on once the map has one.
  map.addLayer(group);
}

// Find help's filters fold away on a phone, so the results come sooner; on a wider screen there is room for them.
if (window.matchMedia("(min-width: 40.0625em)").matches) {
  document.querySelectorAll("details.directory-filters").forEach((details) => {
    details.open = true;
  });
}

document.querySelectorAll(".directory-map[data-map-data]").forEach(drawMap);
