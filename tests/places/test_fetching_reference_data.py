"""An administrator fetches another council's reference data from its public sources, then loads it.

The sources are a real HTTP server on 127.0.0.1 that answers ArcGIS-style queries (where, resultOffset,
pages with exceededTransferLimit) and serves an MHCLG File 7 CSV, from small files cut out of the shipped
Merton data, so what is fetched can be checked against what ships.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import Point, shape

from commonweal.places import fetch
from commonweal.places.models import Lsoa, Ward
from commonweal.places.services import IMD_FILE, POPULATION_FILE, load_council_area

SHIPPED = fetch.SHIPPED_DIR
MERTON, SEFTON = "E09000024", "E08000014"
PAGE = 4  # features per ArcGIS page: small, so the command must follow the pages

FILE_7_HEADER = [
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Index of Multiple Deprivation (IMD) Score",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
    "Total population: mid 2015 (excluding prisoners)",
    "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
    "Population aged 16-59: mid 2015 (excluding prisoners)",
    "Older population aged 60 and over: mid 2015 (excluding prisoners)",
    "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners) ",
]


def _features(kind: str, council: str) -> list[dict[str, Any]]:
    path = SHIPPED / "boundaries" / kind / f"{council}.geojson"
    features: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return features


def _shipped_rows(relative: str) -> dict[str, list[str]]:
    with gzip.open(SHIPPED / relative, "rt", encoding="utf-8-sig", newline="") as handle:
        return {row[0]: row for row in list(csv.reader(handle))[1:]}


def _build_sources(root: Path) -> dict[str, Any]:
    """Three of Merton's wards and the LSOAs whose centroids are in them, plus a Sefton ward and LSOA that a
    correct query must leave out; written as the files the server answers from."""
    wards = _features("ward", MERTON)[:3] + _features("ward", SEFTON)[:1]
    shapes = [shape(ward["geometry"]) for ward in wards[:3]]
    with (SHIPPED / "lookups" / "lsoa_latlong.csv").open(encoding="utf-8", newline="") as handle:
        centroids = {row["lsoa11cd"]: row for row in csv.DictReader(handle)}
    lsoa11 = [
        feature
        for feature in _features("lsoa11", MERTON)
        if any(
            ward.covers(Point(float(centroids[code]["longitude"]), float(centroids[code]["latitude"])))
            for ward in shapes
            for code in [feature["properties"]["LSOA11CD"]]
        )
    ]
    codes = [feature["properties"]["LSOA11CD"] for feature in lsoa11]
    sefton_lsoa = _features("lsoa11", SEFTON)[0]["properties"]["LSOA11CD"]
    imd, population = _shipped_rows(IMD_FILE), _shipped_rows(POPULATION_FILE)
    with (root / "File_7.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FILE_7_HEADER)
        for code in [*codes, sefton_lsoa]:
            rank, decile = imd[code][4:6]
            # File 7 has plain numbers where the shipped File 1 and File 6 have thousands separators.
            numbers = [value.replace(",", "") for value in [rank, decile, *population[code][4:9]]]
            writer.writerow([*imd[code][:4], "12.3", *numbers])
    layers = {
        fetch.WARDS.path: wards,
        fetch.LSOA11_BOUNDARIES.path: lsoa11,
        fetch.LSOA21_BOUNDARIES.path: [
            feature for feature in _features("lsoa", MERTON) if feature["properties"]["LSOA21CD"] in codes
        ],
        # This service spells its code field in lower case, as the ONS centroid services do.
        fetch.LSOA11_CENTROIDS.path: [
            {
                "type": "Feature",
                "properties": {"lsoa11cd": code},
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(centroids[code]["longitude"]), float(centroids[code]["latitude"])],
                },
            }
            for code in codes
        ],
        fetch.LSOA_LOOKUP.path: [
            {"type": "Feature", "properties": {"LSOA11CD": code, "LSOA21CD": code, "LAD22CD": MERTON}, "geometry": None}
            for code in codes
        ],
    }
    for number, features in enumerate(layers.values()):
        (root / f"layer{number}.json").write_text(json.dumps(features), encoding="utf-8")
    return {"layers": {path: root / f"layer{n}.json" for n, path in enumerate(layers)}, "codes": codes}


def _matches(feature: dict[str, Any], where: str) -> bool:
    """ArcGIS's answer to the two filters the command sends: FIELD = 'X' and FIELD IN ('X', 'Y', ...)."""
    parsed = re.fullmatch(r"(\w+) (?:= '([^']*)'|IN \((.*)\))", where)
    assert parsed is not None, where
    field, one, many = parsed.groups()
    wanted = {one} if one is not None else set(re.findall(r"'([^']*)'", many))
    return any(key.upper() == field.upper() and value in wanted for key, value in feature["properties"].items())


class Sources(BaseHTTPRequestHandler):
    layers: dict[str, Path] = {}
    file_7: Path
    requests: list[str] = []

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.requests.append(self.path)
        if url.path == "/imd/File_7.csv":
            return self._send(200, self.file_7.read_bytes(), "text/csv")
        layer = url.path.removeprefix("/arcgis/").removesuffix("/query")
        if layer not in self.layers:
            return self._send(404, b"Not found", "text/plain")
        query = dict(urllib.parse.parse_qsl(url.query))
        if query.get("f") != "geojson" or query.get("outSR") != "4326":
            return self._send(200, json.dumps({"error": {"code": 400, "message": "Invalid query"}}).encode(), "")
        found = [f for f in json.loads(self.layers[layer].read_text()) if _matches(f, query["where"])]
        start = int(query.get("resultOffset", 0))
        page: dict[str, Any] = {"type": "FeatureCollection", "features": found[start : start + PAGE]}
        if start + PAGE < len(found):
            page["properties"] = {"exceededTransferLimit": True}
        return self._send(200, json.dumps(page).encode(), "application/geo+json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type or "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:  # the test's output is for failures, not request lines
        pass


@pytest.fixture
def sources(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The public sources, served on a free port of 127.0.0.1 for the length of one test."""
    root = tmp_path / "sources"
    root.mkdir()
    built = _build_sources(root)
    handler = type("Handler", (Sources,), {"layers": built["layers"], "file_7": root / "File_7.csv", "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield {
        "options": {"ons_url": f"{base}/arcgis", "imd_url": f"{base}/imd/File_7.csv"},
        "codes": built["codes"],
        "requests": handler.requests,
    }
    server.shutdown()
    server.server_close()


def _fetch(code: str, into: Path, sources: dict[str, Any], **extra: Any) -> str:
    out = StringIO()
    call_command("fetch_reference_data", code, into=into, stdout=out, **{**sources["options"], **extra})
    return out.getvalue()


def test_a_council_is_fetched_into_the_reference_layout_and_loads(
    db: None, tmp_path: Path, sources: dict[str, Any]
) -> None:
    into = tmp_path / "reference"
    output = _fetch(" e09000024 ", into, sources)

    assert "Fetched Merton: 3 wards" in output
    assert f"COMMONWEAL_SHARED_DATA={into} commonweal load_council_area E09000024" in output
    for relative in [
        "boundaries/ward/E09000024.geojson",
        "boundaries/lsoa/E09000024.geojson",
        "boundaries/lsoa11/E09000024.geojson",
        IMD_FILE,
        POPULATION_FILE,
        "lookups/lsoa_latlong.csv",
        "lookups/ward_latlong.csv",
        "lookups/la_all_codes.csv",
        "lookups/la_orgid_to_gss.csv",
    ]:
        assert (into / relative).is_file(), relative
    wards = json.loads((into / "boundaries/ward/E09000024.geojson").read_text())["features"]
    assert {ward["properties"]["LAD25CD"] for ward in wards} == {MERTON}  # Sefton's ward was not asked for
    # Four to a page: more LSOAs than that arrived, so the pages were followed.
    codes = sources["codes"]
    assert len(codes) > PAGE
    assert len(json.loads((into / "boundaries/lsoa11/E09000024.geojson").read_text())["features"]) == len(codes)
    # The same columns and number format as the shipped files, Sefton's row left out.
    fetched, shipped = _rows(into / IMD_FILE), _shipped_rows(IMD_FILE)
    assert set(fetched) == set(codes)
    assert all(fetched[code] == shipped[code] for code in codes)
    assert _rows(into / POPULATION_FILE) == {code: _shipped_rows(POPULATION_FILE)[code] for code in codes}

    council = load_council_area(gss_code=MERTON, data_dir=into)
    assert council.name == "London Borough of Merton"
    assert Ward.objects.filter(council=council).count() == 3
    lsoas = Lsoa.objects.filter(ward__council=council)
    assert lsoas.count() == len(codes)
    assert all(lsoa.imd_decile and lsoa.population > 0 for lsoa in lsoas)


def test_fetching_into_a_folder_keeps_the_other_councils(db: None, tmp_path: Path, sources: dict[str, Any]) -> None:
    into = tmp_path / "reference"
    shutil.copytree(SHIPPED, into)
    _fetch(MERTON, into, sources)
    imd = _rows(into / IMD_FILE)
    assert len(imd) == 772 - 124 + len(sources["codes"])  # Merton's 124 rows replaced by the fetched ones
    assert load_council_area(gss_code=SEFTON, data_dir=into).wards.count() == 22


def _rows(path: Path) -> dict[str, list[str]]:
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the shipped files' byte-order mark and CRLF
    return {row[0]: row for row in list(csv.reader(StringIO(raw.decode("utf-8-sig"))))[1:]}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("W06000015", "'W06000015' is not an English council's GSS code: that is E06, E07, E08 or E09"),
        ("E0900002", "'E0900002' is not an English council's GSS code"),
        ("Merton", "'Merton' is not an English council's GSS code"),
        ("E10000002", "E10000002 is a county council: wards are drawn within its districts"),
        ("E09999999", "E09999999 is not a council in lookups/la_all_codes.csv"),
        ("E07000004", "E07000004 (Aylesbury Vale) is now part of E06000060 (Buckinghamshire): fetch that code."),
    ],
)
def test_a_code_that_is_not_a_council_says_why(tmp_path: Path, code: str, message: str) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("fetch_reference_data", code, into=tmp_path / "reference", ons_url="http://127.0.0.1:9")
    assert message in str(raised.value)
    assert not (tmp_path / "reference").exists()


def test_a_council_with_no_wards_at_the_source_says_so(tmp_path: Path, sources: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match=r"The ONS ward boundaries have no wards for E09000021 \(Kingston"):
        _fetch("E09000021", tmp_path / "reference", sources)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_network_failure_is_one_line_saying_what_failed(tmp_path: Path) -> None:
    """Run as an administrator would, from the shell: one line on stderr, no traceback, nothing written."""
    url = f"http://127.0.0.1:{_closed_port()}/arcgis"
    into = tmp_path / "reference"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "commonweal.cli", "fetch_reference_data", MERTON, "--into", str(into), "--ons-url", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"CommandError: Could not download the ward boundaries for E09000024 from {url}/")
    assert "Connection refused" in lines[0]
    assert not into.exists()


def test_a_source_that_refuses_a_file_names_it(tmp_path: Path, sources: dict[str, Any]) -> None:
    imd_url = sources["options"]["imd_url"].replace("File_7.csv", "File_9.csv")
    with pytest.raises(
        CommandError, match=r"deprivation and population figures for E09000024: .*File_9.csv answered 404"
    ):
        _fetch(MERTON, tmp_path / "reference", sources, imd_url=imd_url)
    assert not (tmp_path / "reference").exists()
