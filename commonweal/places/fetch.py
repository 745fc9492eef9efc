"""Downloading a council's reference data from its public sources into the reference folder's layout.

Boundaries, LSOA centroids and the LSOA 2011/2021 lookup come from the ONS Open Geography Portal's ArcGIS
feature services; deprivation and population from MHCLG's English indices of deprivation 2019 (File 7,
which holds File 1's and File 6's columns). The national lookups of council codes and org-ids ship whole
in the package and are copied when the target folder has none. Everything is downloaded before anything
is written, so a failure part-way leaves the folder as it was.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .services import COUNCIL_NAMES_FILE, IMD_FILE, LA_CODES_FILE, LSOA_CENTROIDS_FILE, POPULATION_FILE

SHIPPED_DIR = Path(__file__).resolve().parent / "reference"
WARD_CENTROIDS_FILE = "lookups/ward_latlong.csv"
# English lower-tier and unitary councils: the areas wards are drawn within.
GSS_CODE = re.compile(r"E0[6-9]\d{6}")
# ArcGIS refuses very long queries; fifty codes keep each one well under its limits.
CHUNK = 50
TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Layer:
    """One ONS feature service: its path under the ArcGIS services root, and what it holds (for messages)."""

    path: str
    what: str


WARDS = Layer("Wards_May_2025_Boundaries_UK_BGC/FeatureServer/0", "ward boundaries")
LSOA11_BOUNDARIES = Layer(
    "Lower_Layer_Super_Output_Areas_Dec_2011_Boundaries_Generalised_Clipped_BGC_EW_V3/FeatureServer/0",
    "LSOA 2011 boundaries",
)
LSOA21_BOUNDARIES = Layer(
    "Lower_layer_Super_Output_Areas_December_2021_Boundaries_EW_BGC_V5/FeatureServer/0", "LSOA 2021 boundaries"
)
LSOA11_CENTROIDS = Layer(
    "LSOA_Dec_2011_PWC_in_England_and_Wales_2022/FeatureServer/0", "LSOA population-weighted centroids"
)
LSOA_LOOKUP = Layer("LSOA11_LSOA21_LAD22_EW_LU_v2/FeatureServer/0", "LSOA 2011 to 2021 lookup")

# The headers of the shipped files, used when the target folder has none yet.
IMD_HEADER = [
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Index of Multiple Deprivation (IMD) Rank",
    "Index of Multiple Deprivation (IMD) Decile",
]
POPULATION_HEADER = [
    *IMD_HEADER[:4],
    "Total population: mid 2015 (excluding prisoners)",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "Population aged 16-59: mid 2015 (excluding prisoners)",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
]
LSOA_CENTROIDS_HEADER = ["LSOACD", "latitude", "longitude", "lsoa11cd"]
WARD_CENTROIDS_HEADER = ["wdcd", "longitude", "latitude"]


class ReferenceDataError(ValueError):
    """The reference data cannot be fetched; the message says what failed, fit to print as it is."""


@dataclass(frozen=True)
class Fetched:
    """What was written, for the command to report."""

    code: str
    name: str
    wards: int
    lsoas: int
    into: Path


def check_gss_code(text: str) -> str:
    """The council's code, upper-cased, or an error saying what a council's code looks like."""
    code = text.strip().upper()
    if re.fullmatch(r"E10\d{6}", code):
        raise ReferenceDataError(
            f"{code} is a county council: wards are drawn within its districts, so fetch each district's code "
            "(E07 and six digits)."
        )
    if not GSS_CODE.fullmatch(code):
        raise ReferenceDataError(
            f"'{text.strip()}' is not an English council's GSS code: that is E06, E07, E08 or E09 and six digits, "
            "for example E09000024 for Merton."
        )
    return code


def fetch_reference_data(*, gss_code: str, into: Path, ons_url: str, imd_url: str) -> Fetched:
    """Download one council's boundaries, deprivation, population and centroids and add them to `into`."""
    code = check_gss_code(gss_code)
    lookups = into if (into / LA_CODES_FILE).exists() else SHIPPED_DIR
    name, district_codes = _council(lookups / LA_CODES_FILE, code)

    wards = _features(ons_url, WARDS, f"LAD25CD = '{code}'", code)
    if not wards:
        raise ReferenceDataError(f"The ONS ward boundaries have no wards for {code} ({name}).")
    imd_header, imd_rows = _deprivation(imd_url, district_codes, code)
    if not imd_rows:
        raise ReferenceDataError(f"MHCLG's deprivation file at {imd_url} has no LSOAs for {code} ({name}).")
    lsoa11_codes = sorted({row[0] for row in imd_rows})
    lsoa11 = _features_in(ons_url, LSOA11_BOUNDARIES, "LSOA11CD", lsoa11_codes, code)
    centroids = _features_in(ons_url, LSOA11_CENTROIDS, "LSOA11CD", lsoa11_codes, code)
    lookup = _features_in(ons_url, LSOA_LOOKUP, "LSOA11CD", lsoa11_codes, code)
    lsoa21_codes = sorted({str(_property(feature, "LSOA21CD")) for feature in lookup})
    lsoa21 = _features_in(ons_url, LSOA21_BOUNDARIES, "LSOA21CD", lsoa21_codes, code)

    into.mkdir(parents=True, exist_ok=True)
    for relative in (LA_CODES_FILE, COUNCIL_NAMES_FILE):
        if not (into / relative).exists():
            (into / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SHIPPED_DIR / relative, into / relative)
    for folder, features in (("ward", wards), ("lsoa11", lsoa11), ("lsoa", lsoa21)):
        _write_geojson(into / "boundaries" / folder / f"{code}.geojson", code, features)
    for relative, default in ((IMD_FILE, IMD_HEADER), (POPULATION_FILE, POPULATION_HEADER)):
        header = _header(into / relative) or default
        rows = _columns(imd_header, imd_rows, header, imd_url)
        _merge_csv(into / relative, header, rows, gz=True, districts=district_codes)
    _merge_csv(into / LSOA_CENTROIDS_FILE, LSOA_CENTROIDS_HEADER, _lsoa_centroid_rows(centroids))
    _merge_csv(into / WARD_CENTROIDS_FILE, WARD_CENTROIDS_HEADER, _ward_centroid_rows(wards))
    return Fetched(code=code, name=name, wards=len(wards), lsoas=len(lsoa11), into=into)


# --- sources -------------------------------------------------------------------------------------


def _council(path: Path, code: str) -> tuple[str, frozenset[str]]:
    """The council's name and every district code since 2011 now part of it (the 2019 index uses old ones)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    own = next((row for row in rows if row["LADCD"] == code), None)
    if own is None:
        raise ReferenceDataError(f"{code} is not a council in {LA_CODES_FILE} (every council code since 2011).")
    if own["LADCD_ACTIVE"] != code:
        raise ReferenceDataError(
            f"{code} ({own['LADNM']}) is now part of {own['LADCD_ACTIVE']} ({own['LADNM_ACTIVE']}): fetch that code."
        )
    return own["LADNM"], frozenset(row["LADCD"] for row in rows if row["LADCD_ACTIVE"] == code)


def _download(url: str, what: str, code: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "commonweal fetch_reference_data"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body: bytes = response.read()
    except urllib.error.HTTPError as error:
        raise ReferenceDataError(f"Could not download the {what} for {code}: {url} answered {error.code}.") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ReferenceDataError(f"Could not download the {what} for {code} from {url}: {reason}.") from error
    return body


def _features(ons_url: str, layer: Layer, where: str, code: str) -> list[dict[str, Any]]:
    """Every feature of an ONS layer matching `where`, in WGS84, following ArcGIS's pages."""
    features: list[dict[str, Any]] = []
    while True:
        query = {"where": where, "outFields": "*", "outSR": "4326", "f": "geojson", "resultOffset": len(features)}
        url = f"{ons_url.rstrip('/')}/{layer.path}/query?{urllib.parse.urlencode(query)}"
        body = _download(url, layer.what, code)
        try:
            page = json.loads(body)
        except ValueError as error:
            raise ReferenceDataError(f"The {layer.what} for {code} from {url} are not JSON.") from error
        if "error" in page:
            message = page["error"].get("message", page["error"]) if isinstance(page["error"], dict) else page["error"]
            raise ReferenceDataError(f"The ONS service for the {layer.what} refused the query for {code}: {message}")
        batch = page.get("features") or []
        features.extend(batch)
        more = page.get("exceededTransferLimit") or (page.get("properties") or {}).get("exceededTransferLimit")
        if not (more and batch):
            return features


def _features_in(ons_url: str, layer: Layer, field: str, codes: Sequence[str], code: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = []
    for start in range(0, len(codes), CHUNK):
        quoted = ", ".join(f"'{value}'" for value in codes[start : start + CHUNK])
        features.extend(_features(ons_url, layer, f"{field} IN ({quoted})", code))
    return features


def _property(feature: dict[str, Any], name: str) -> Any:
    """A feature's property by name in any case: ONS services spell the same field LSOA11CD or lsoa11cd."""
    properties = feature.get("properties") or {}
    for key, value in properties.items():
        if key.upper() == name.upper():
            return value
    return None


def _deprivation(imd_url: str, district_codes: frozenset[str], code: str) -> tuple[list[str], list[list[str]]]:
    """File 7's header and its rows for the council's districts (the index uses 2019 district codes)."""
    body = _download(imd_url, "deprivation and population figures", code)
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    header = [name.strip() for name in next(reader, [])]
    district = next((i for i, name in enumerate(header) if name.startswith("Local Authority District code")), None)
    if district is None:
        raise ReferenceDataError(f"MHCLG's deprivation file at {imd_url} has no 'Local Authority District code'.")
    return header, [row for row in reader if len(row) > district and row[district] in district_codes]


def _columns(header: list[str], rows: list[list[str]], wanted: list[str], url: str) -> list[list[str]]:
    """The rows cut to the shipped file's columns; File 7 adds words to some names ('Rank (where 1 is ...)')."""
    positions = []
    for name in wanted:
        position = next((i for i, have in enumerate(header) if have.startswith(name)), None)
        if position is None:
            raise ReferenceDataError(f"MHCLG's deprivation file at {url} has no column '{name}'.")
        positions.append(position)
    # The shipped files carry thousands separators ("29,199"); the loader reads either.
    return [[_thousands(row[i].strip()) for i in positions] for row in rows]


def _thousands(text: str) -> str:
    return f"{int(text):,}" if text.isdigit() else text


def _lsoa_centroid_rows(features: Iterable[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for feature in features:
        lsoa = str(_property(feature, "LSOA11CD"))
        lon, lat = feature["geometry"]["coordinates"][:2]
        rows.append([lsoa, str(lat), str(lon), lsoa])
    return rows


def _ward_centroid_rows(features: Iterable[dict[str, Any]]) -> list[list[str]]:
    return [
        [str(_property(feature, "WD25CD")), str(_property(feature, "LONG")), str(_property(feature, "LAT"))]
        for feature in features
        if _property(feature, "LONG") is not None
    ]


# --- writing -------------------------------------------------------------------------------------


def _write_geojson(path: Path, code: str, features: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "name": code, "features": features}
    path.write_text(json.dumps(collection), encoding="utf-8")


def _header(path: Path) -> list[str]:
    """A gzipped CSV's own header, so rows are cut to the columns the file already has; none if it is new."""
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _merge_csv(
    path: Path, header: list[str], rows: list[list[str]], *, gz: bool = False, districts: frozenset[str] = frozenset()
) -> None:
    """Replace the council's rows (by key, the first column, or by district, the third) and keep every other
    council's, in the file's own format."""
    keys = {row[0] for row in rows}
    kept: list[list[str]] = []
    # The shipped IMD files are Excel exports (a byte-order mark, CRLF); the lookups are plain.
    bom, newline = gz, "\r\n" if gz else "\n"
    if path.exists():
        raw = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
        bom, newline = raw.startswith(b"\xef\xbb\xbf"), "\r\n" if b"\r\n" in raw[:4096] else "\n"
        existing = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        header, kept = (
            existing[0],
            [row for row in existing[1:] if row and row[0] not in keys and not (len(row) > 2 and row[2] in districts)],
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(kept + rows)
    data = out.getvalue().encode("utf-8-sig" if bom else "utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
