// Builds the platform's static assets from npm packages into commonweal/static/dist.
// Nothing is fetched at run time: the platform serves every file itself.
import { compile } from "sass";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "commonweal", "static", "dist");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = compile(join(root, "frontend", "scss", "app.scss"), {
  style: "compressed",
  loadPaths: [nm],
  importers: [new (await import("sass")).NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), css.css);

const copies = [
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk/govuk-frontend.min.js.map"],
  ["govuk-frontend/dist/govuk/assets", "govuk/assets"],
  ["leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map"],
  ["leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet/dist/images", "leaflet/images"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js", "leaflet/leaflet.markercluster.js"],
  ["leaflet.markercluster/dist/leaflet.markercluster.js.map", "leaflet/leaflet.markercluster.js.map"],
  ["leaflet.markercluster/dist/MarkerCluster.css", "leaflet/MarkerCluster.css"],
  ["leaflet.markercluster/dist/MarkerCluster.Default.css", "leaflet/MarkerCluster.Default.css"],
];
for (const [from, to] of copies) {
  cpSync(join(nm, from), join(out, to), { recursive: true });
}
// Fonts are GOV.UK's own typeface: not ours to use.
rmSync(join(out, "govuk", "assets", "fonts"), { recursive: true, force: true });
cpSync(join(root, "frontend", "js"), out, { recursive: true });
cpSync(join(root, "frontend", "favicon.svg"), join(out, "favicon.svg"));
console.log(`built ${out}`);
