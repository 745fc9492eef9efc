"""Writes for places: loading a council's real geography, localities, postcodes and the lookups on them."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from commonweal.core.audit import acting, log_created

from .categories import AGE, CHARACTERISTICS, age_band_bounds
from .models import CouncilArea, Locality, Lsoa, Postcode, ProfileCount, Ward
from .profile_csv import ADULT_AGE, ProfileFileError, read_profile

IMD_FILE = "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
POPULATION_FILE = "imd/File_6_-_IoD2019_Population_Denominators.csv.gz"
LSOA_CENTROIDS_FILE = "lookups/lsoa_latlong.csv"
COUNCIL_NAMES_FILE = "lookups/la_orgid_to_gss.csv"
LA_CODES_FILE = "lookups/la_all_codes.csv"
LSOA_FIELDS = (
    "name",
    "ward",
    "imd_rank",
    "imd_decile",
    "population",
    "centroid_lat",
    "centroid_lon",
    "boundary",
)


class CouncilDataError(ValueError):
    """The reference data for a council is missing or unreadable; the message says which file."""


class PostcodeError(ValueError):
    """A postcode someone typed cannot be used; the message is fit to show them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PostcodeImportError(ValueError):
    """A postcode file cannot be imported at all; nothing was written."""


# --- loading a council ---------------------------------------------------------------------------


def _data_dir(data_dir: Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else Path(settings.REFERENCE_DATA_DIR)


def _read_csv_rows(path: Path) -> Iterator[list[str]]:
    """Stream a CSV (optionally gzipped) row by row, header included, without reading it all into memory."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            yield from csv.reader(handle)
    except FileNotFoundError as error:
        raise CouncilDataError(f"The reference data file {path} is missing.") from error


def _number(text: str) -> int:
    return int(text.replace(",", "").strip())


@lru_cache(maxsize=16)
def _lsoa_figures(path: str, mtime: float, column: int, codes: frozenset[str]) -> dict[str, list[str]]:
    """The rows of a big per-LSOA file for the given codes; cached per process as the files never change."""
    wanted: dict[str, list[str]] = {}
    rows = _read_csv_rows(Path(path))
    next(rows, None)
    for row in rows:
        if len(row) > column and row[column] in codes:
            wanted[row[column]] = row
    return wanted


def _rows_for(path: Path, codes: frozenset[str], *, column: int = 0) -> dict[str, list[str]]:
    if not path.exists():
        raise CouncilDataError(f"The reference data file {path} is missing.")
    return _lsoa_figures(str(path), path.stat().st_mtime, column, codes)


def _read_geojson(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as handle:
            features: list[dict[str, Any]] = json.load(handle)["features"]
    except FileNotFoundError as error:
        raise CouncilDataError(f"There are no boundaries for this council at {path}.") from error
    return features


def _council_names(data: Path, gss_code: str) -> dict[str, str]:
    rows = _read_csv_rows(data / COUNCIL_NAMES_FILE)
    header = next(rows)
    for row in rows:
        record = dict(zip(header, row, strict=False))
        if record.get("gss_code") == gss_code:
            return record
    # Not every authority has an org-id; la_all_codes still names the place.
    rows = _read_csv_rows(data / LA_CODES_FILE)
    header = next(rows)
    for row in rows:
        record = dict(zip(header, row, strict=False))
        if record.get("LADCD") == gss_code:
            return {"name": f"{record['LADNM']} Council", "normalised_name": record["LADNM"], "org_id": ""}
    raise CouncilDataError(f"{gss_code} is not a local authority code in the reference data.")


def _bounds_fields(geometry: BaseGeometry) -> dict[str, float]:
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    centre = geometry.centroid
    return {
        "min_lat": min_lat,
        "min_lon": min_lon,
        "max_lat": max_lat,
        "max_lon": max_lon,
        "centroid_lat": centre.y,
        "centroid_lon": centre.x,
    }


def _nearest_ward(point: Point, shapes: dict[str, BaseGeometry]) -> str:
    containing = [code for code, geometry in shapes.items() if geometry.covers(point)]
    if containing:
        return containing[0]
    # Generalised boundaries leave slivers: a centre just outside every ward belongs to the nearest.
    return min(shapes, key=lambda code: shapes[code].distance(point))


@transaction.atomic
def load_council_area(*, gss_code: str, data_dir: Path | None = None) -> CouncilArea:
    """Load or refresh a council, its wards and its LSOAs (with deprivation and population) from ONS data."""
    data = _data_dir(data_dir)
    names = _council_names(data, gss_code)
    council, _ = CouncilArea.objects.update_or_create(
        gss_code=gss_code,
        defaults={
            "name": names["name"],
            "area_name": names.get("normalised_name") or names.get("area_name") or names["name"],
            "org_id": names.get("org_id", ""),
        },
    )

    ward_shapes: dict[str, BaseGeometry] = {}
    wards: dict[str, Ward] = {}
    for feature in _read_geojson(data / "boundaries" / "ward" / f"{gss_code}.geojson"):
        properties = feature["properties"]
        code = properties.get("WD25CD") or properties["WD24CD"]
        geometry = shape(feature["geometry"])
        ward_shapes[code] = geometry
        wards[code], _ = Ward.objects.update_or_create(
            code=code,
            defaults={
                "council": council,
                "name": (properties.get("WD25NM") or properties["WD24NM"]).strip(),
                "boundary": feature["geometry"],
                **_bounds_fields(geometry),
            },
        )
    if not wards:
        raise CouncilDataError(f"The ward boundary file for {gss_code} has no wards in it.")
    # A boundary review retires old wards; their postcodes must be imported again against the new ones.
    Ward.objects.filter(council=council).exclude(code__in=wards).delete()

    lsoa_features = _read_geojson(data / "boundaries" / "lsoa11" / f"{gss_code}.geojson")
    codes = frozenset(feature["properties"]["LSOA11CD"] for feature in lsoa_features)
    imd = _rows_for(data / IMD_FILE, codes)
    population = _rows_for(data / POPULATION_FILE, codes)
    centroids = _rows_for(data / LSOA_CENTROIDS_FILE, codes, column=3)

    existing = {lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=codes)}
    to_create: list[Lsoa] = []
    ward_population = dict.fromkeys(wards, 0)
    for feature in lsoa_features:
        properties = feature["properties"]
        code = properties["LSOA11CD"]
        if code in centroids:
            lat, lon = float(centroids[code][1]), float(centroids[code][2])
        else:
            inside = shape(feature["geometry"]).representative_point()
            lat, lon = inside.y, inside.x
        ward_code = _nearest_ward(Point(lon, lat), ward_shapes)
        people = _number(population[code][4]) if code in population else 0
        ward_population[ward_code] += people
        values = {
            "name": properties.get("LSOA11NM") or code,
            "ward": wards[ward_code],
            "imd_rank": _number(imd[code][4]) if code in imd else None,
            "imd_decile": _number(imd[code][5]) if code in imd else None,
            "population": people,
            "centroid_lat": lat,
            "centroid_lon": lon,
            "boundary": feature["geometry"],
        }
        lsoa = existing.get(code)
        if lsoa is None:
            to_create.append(Lsoa(code=code, **values))
        else:
            for name, value in values.items():
                setattr(lsoa, name, value)
    Lsoa.objects.bulk_create(to_create)
    Lsoa.objects.bulk_update(list(existing.values()), list(LSOA_FIELDS))

    for code, ward in wards.items():
        ward.population = ward_population[code]
    Ward.objects.bulk_update(list(wards.values()), ["population"])
    return council


# --- points and wards ----------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _prepared(ward_pk: int, boundary_json: str) -> PreparedGeometry:
    """A ward's prepared polygon; keyed on its boundary too, so an edited boundary is never stale."""
    return prep(shape(json.loads(boundary_json)))


def ward_for_point(lat: float, lon: float) -> Ward | None:
    """The ward whose boundary holds the point, or None if it is outside every ward."""
    candidates = Ward.objects.filter(min_lat__lte=lat, max_lat__gte=lat, min_lon__lte=lon, max_lon__gte=lon)
    point = Point(lon, lat)
    for ward in candidates:
        if _prepared(ward.pk, json.dumps(ward.boundary, sort_keys=True)).covers(point):
            return ward
    return None


# --- localities ----------------------------------------------------------------------------------


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:90] or "locality"
    slug, n = base, 1
    taken = Locality.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    slugs = set(taken.values_list("slug", flat=True))
    while slug in slugs:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_locality(
    *, council: CouncilArea, name: str, wards: Iterable[Ward], description: str = "", is_demo: bool = False
) -> Locality:
    """Name a group of the council's own wards (a town centre, a pilot area) for pages and figures."""
    ward_list = list(wards)
    _check_wards(council, ward_list)
    locality = Locality.objects.create(
        council=council, name=name, slug=_unique_slug(name), description=description, is_demo=is_demo
    )
    locality.wards.set(ward_list)
    return locality


@transaction.atomic
def update_locality(
    *,
    locality: Locality,
    name: str | None = None,
    description: str | None = None,
    wards: Iterable[Ward] | None = None,
) -> Locality:
    """Rename, redescribe or regroup a locality; its address (slug) follows a new name."""
    if name is not None and name != locality.name:
        locality.name = name
        locality.slug = _unique_slug(name, exclude_pk=locality.pk)
    if description is not None:
        locality.description = description
    locality.save()
    if wards is not None:
        ward_list = list(wards)
        _check_wards(locality.council, ward_list)
        locality.wards.set(ward_list)
    return locality


def _check_wards(council: CouncilArea, wards: Sequence[Ward]) -> None:
    if not wards:
        raise ValueError("Choose at least one ward for the locality.")
    if any(ward.council_id != council.pk for ward in wards):
        raise ValueError(f"Every ward in a locality must be in {council.area_name}.")


# --- postcodes -----------------------------------------------------------------------------------

_OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
_INWARD = re.compile(r"[0-9][A-Z]{2}")
_SPACES = re.compile(r"\s+")


def normalise_postcode(raw: str) -> str | None:
    """'sw192hl' -> 'SW19 2HL'; None if it is not shaped like a UK postcode."""
    if len(raw) > 100:
        return None
    # NFKC folds full-width letters and digits (some phone keyboards) into plain ASCII ones.
    compact = _SPACES.sub("", unicodedata.normalize("NFKC", raw)).upper()
    if not 5 <= len(compact) <= 7:
        return None
    outward, inward = compact[:-3], compact[-3:]
    if _OUTWARD.fullmatch(outward) and _INWARD.fullmatch(inward):
        return f"{outward} {inward}"
    if compact == "GIR0AA":
        return "GIR 0AA"
    return None


def look_up_postcode(raw: str) -> Postcode:
    """Find a postcode in the council's area from what someone typed, or say plainly why not."""
    if not raw or not raw.strip():
        raise PostcodeError("Enter a postcode.")
    postcode = normalise_postcode(raw)
    if postcode is None:
        raise PostcodeError("Enter a real postcode, like SW19 2HL.")
    found = Postcode.objects.select_related("ward").filter(postcode=postcode).first()
    if found is None:
        council = CouncilArea.current()
        where = council.area_name if council else "this council's area"
        raise PostcodeError(f"{postcode} is not a postcode in {where}.")
    return found


# --- importing postcodes -------------------------------------------------------------------------

POSTCODE_COLUMNS = ("pcds", "pcd", "postcode")
WARD_COLUMNS = ("osward", "wd25cd", "wd24cd", "wd23cd", "wd22cd", "wd21cd", "ward")
LSOA_COLUMNS = ("lsoa11", "lsoa11cd", "lsoa21", "lsoa21cd")
_LSOA_CODE = re.compile(r"[EW]0[0-9]{7}")
REPORTED_ERRORS = 1000


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did: postcodes added and updated, and each row skipped with its line and reason."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"{self.created} postcodes added, {self.updated} updated, {self.skipped} rows skipped."
        if self.skipped > len(self.errors):
            text += f" The first {len(self.errors)} problems are listed."
        return text


def _decoded_lines(path: Path) -> Iterator[str]:
    with path.open("rb") as handle:
        yield from _decoded(handle, PostcodeImportError)


def _decoded(handle: Iterable[bytes], error_class: type[Exception]) -> Iterator[str]:
    """The lines of a binary file as text, UTF-8 (with or without a byte order mark); a line that is not UTF-8
    raises error_class saying which."""
    for number, raw in enumerate(handle, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise error_class(
                f"Line {number} is not UTF-8 text, so nothing was imported. Save the file as 'CSV UTF-8' and try again."
            ) from error


def _pick(header: list[str], names: Sequence[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _coordinate(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


@dataclass
class _Row:
    postcode: str
    latitude: float
    longitude: float
    ward: Ward
    lsoa_code: str


def _parse_row(row: list[str], columns: dict[str, int | None], wards: dict[str, Ward], area: str) -> _Row | str:
    """One row of the file as a postcode, or the reason it cannot be used."""

    def cell(key: str) -> str:
        index = columns[key]
        return row[index].strip() if index is not None and index < len(row) else ""

    postcode = normalise_postcode(cell("postcode")[:20])
    if postcode is None:
        shown = cell("postcode")[:20] or "(blank)"
        return f"“{shown}” is not a real postcode."
    latitude, longitude = _coordinate(cell("lat"), -90, 90), _coordinate(cell("long"), -180, 180)
    if latitude is None or longitude is None:
        return f"the latitude and longitude of {postcode} must be numbers."
    ward = wards.get(cell("ward").upper())
    if ward is None:
        return f"the ward code “{cell('ward')[:20]}” for {postcode} is not a ward in {area}."
    lsoa_code = cell("lsoa").upper()
    if lsoa_code and not _LSOA_CODE.fullmatch(lsoa_code):
        return f"“{lsoa_code[:20]}” for {postcode} is not an ONS LSOA code."
    return _Row(postcode, latitude, longitude, ward, lsoa_code)


def _read_postcode_file(path: Path, council: CouncilArea) -> tuple[dict[str, _Row], ImportReport]:
    report = ImportReport()
    reader = csv.reader(_decoded_lines(path))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise PostcodeImportError("The file is empty, so nothing was imported.") from None
    columns = {
        "postcode": _pick(header, POSTCODE_COLUMNS),
        "lat": _pick(header, ("lat", "latitude")),
        "long": _pick(header, ("long", "longitude", "lon")),
        "ward": _pick(header, WARD_COLUMNS),
        "lsoa": _pick(header, LSOA_COLUMNS),
    }
    missing = [
        label
        for key, label in (
            ("postcode", "pcds"),
            ("lat", "lat"),
            ("long", "long"),
            ("ward", "osward or wd25cd"),
        )
        if columns[key] is None
    ]
    if missing:
        raise PostcodeImportError(
            "The file must have the columns pcds, lat, long and a ward code (osward or wd25cd), "
            f"as the ONS Postcode Directory does. It has no {' or '.join(missing)} column, "
            "so nothing was imported."
        )
    wards = {ward.code: ward for ward in council.wards.all()}
    rows: dict[str, _Row] = {}
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            parsed = _parse_row(row, columns, wards, council.area_name)
            if isinstance(parsed, str):
                report.skipped += 1
                if len(report.errors) < REPORTED_ERRORS:
                    report.errors.append(RowError(reader.line_num, parsed))
            else:
                rows[parsed.postcode] = parsed  # a postcode listed twice: the later row wins
    except csv.Error as error:
        raise PostcodeImportError(
            f"Line {reader.line_num} cannot be read as CSV ({error}), so nothing was imported."
        ) from error
    return rows, report


def import_postcodes(*, path: Path | str, is_demo: bool = False) -> ImportReport:
    """Add or update postcodes from an ONS Postcode Directory CSV, skipping and reporting bad rows.

    Rows that cannot be used (a malformed postcode, a ward outside the council, a coordinate that is not a
    number) are skipped and listed with their line number; the good rows are saved together. A file that
    cannot be read at all (no such file, not UTF-8, a required column missing) saves nothing.
    """
    council = CouncilArea.current()
    if council is None:
        raise PostcodeImportError("Load the council's wards before importing postcodes.")
    path = Path(path)
    if not path.is_file():
        raise PostcodeImportError(f"There is no file at {path}.")
    rows, report = _read_postcode_file(path, council)
    with transaction.atomic():
        existing: dict[str, Postcode] = {}
        names = list(rows)
        for start in range(0, len(names), 500):
            for found in Postcode.objects.filter(postcode__in=names[start : start + 500]):
                existing[found.postcode] = found
        new: list[Postcode] = []
        for name, row in rows.items():
            record = existing.get(name) or Postcode(postcode=name)
            record.latitude, record.longitude = row.latitude, row.longitude
            record.ward, record.lsoa_code, record.is_demo = row.ward, row.lsoa_code, is_demo
            if record.pk is None:
                new.append(record)
        Postcode.objects.bulk_create(new, batch_size=1000)
        Postcode.objects.bulk_update(
            list(existing.values()),
            ["latitude", "longitude", "ward", "lsoa_code", "is_demo"],
            batch_size=1000,
        )
    report.created, report.updated = len(new), len(existing)
    return report


# --- demo postcodes ------------------------------------------------------------------------------

# Real outward codes (postcode districts) that cover each council; the inward halves are invented.
DEMO_DISTRICTS: dict[str, tuple[str, ...]] = {
    "E09000024": ("SW19", "SW20", "SM4", "CR4", "SW16", "SW17"),
    "E09000003": ("N2", "N3", "N11", "N12", "N14", "N20", "NW4", "NW7", "NW9", "NW11", "EN4", "EN5", "HA8"),
    "E09000016": ("RM1", "RM2", "RM3", "RM4", "RM5", "RM7", "RM11", "RM12", "RM13", "RM14"),
    "E06000034": ("RM15", "RM16", "RM17", "RM18", "RM19", "RM20", "SS17"),
    "E08000014": ("L20", "L21", "L22", "L23", "L30", "L31", "L37", "L38", "PR8", "PR9"),
}
FALLBACK_DISTRICTS = ("ZZ99",)
# Never generated: tests and help text use it as the example of a postcode that is not in Merton.
RESERVED_POSTCODES = frozenset({"SW19 1ZZ"})
# The postcode finder's hint ("For example, SW19 2HL") should work in the demo, so it gets a real ward.
DEMO_EXAMPLES: dict[str, tuple[str, str]] = {"E09000024": ("SW19 2HL", "E05013810")}
# Letters real inward codes use (never C, I, K, M, O or V).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXY"
DEMO_HEADER = ("pcds", "lat", "long", "osward", "lsoa11", "note")
DEMO_NOTE = "DEMO: invented postcode, not real"


def _point_inside(geometry: BaseGeometry, rng: random.Random) -> Point:
    ready = prep(geometry)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    for _ in range(1000):
        point = Point(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat))
        if ready.contains(point):
            return point
    return geometry.representative_point()


def _invent_postcode(rng: random.Random, districts: Sequence[str], used: set[str]) -> str:
    """A postcode in one of the real districts with an invented inward half, not one already used."""
    while True:
        unit = rng.choice(_INWARD_LETTERS) + rng.choice(_INWARD_LETTERS)
        postcode = f"{rng.choice(districts)} {rng.randint(1, 9)}{unit}"
        if postcode not in used:
            used.add(postcode)
            return postcode


def generate_demo_postcodes(*, council: CouncilArea, out: Path | str, per_ward: int = 3, seed: int = 2019) -> Path:
    """Write invented postcodes, each at a point inside a real ward, as an ONS Postcode Directory CSV.

    The same council, count and seed always give the same file.
    """
    if per_ward < 1:
        raise ValueError("Generate at least one postcode per ward.")
    rng = random.Random(seed)  # noqa: S311  -- invented demo data wants repeatability, not secrecy
    districts = DEMO_DISTRICTS.get(council.gss_code, FALLBACK_DISTRICTS)
    lsoas = [
        (lsoa.code, prep(shape(lsoa.boundary))) for lsoa in Lsoa.objects.filter(ward__council=council) if lsoa.boundary
    ]
    example, example_ward = DEMO_EXAMPLES.get(council.gss_code, ("", ""))
    used = set(RESERVED_POSTCODES) | {example}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DEMO_HEADER)
    for ward in council.wards.order_by("code"):
        geometry = shape(ward.boundary)
        for n in range(per_ward):
            postcode = example if n == 0 and ward.code == example_ward else _invent_postcode(rng, districts, used)
            point = _point_inside(geometry, rng)
            lsoa = next((code for code, shape_ in lsoas if shape_.covers(point)), "")
            writer.writerow([postcode, f"{point.y:.6f}", f"{point.x:.6f}", ward.code, lsoa, DEMO_NOTE])
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# --- the borough profile -------------------------------------------------------------------------


class ProfileImportError(ValueError):
    """A profile file that cannot be imported; nothing was written. `errors` lists the bad rows by line."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


@dataclass
class ProfileImportReport:
    """What a profile import wrote: for each characteristic, its categories and residents; what it left out."""

    layout: str
    characteristics: dict[str, dict[str, int]] = field(default_factory=dict)  # characteristic -> category -> count
    wards: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [
            f"{CHARACTERISTICS[key].lower()} ({len(categories)} categories, {sum(categories.values()):,} residents)"
            for key, categories in self.characteristics.items()
        ]
        return f"Imported {' and '.join(parts)} for {self.wards} wards; the figures before them were replaced."

    @property
    def notes(self) -> list[str]:
        """What was left out on purpose, and anything to check, in sentences."""
        notes = [
            f"Left out {rows} row{'s' if rows != 1 else ''} of “{label}”: the profile is of residents aged "
            f"{ADULT_AGE} and over."
            for label, rows in self.left_out.items()
        ]
        return notes + self.warnings


def import_profile(
    *, file: Iterable[bytes], by: Any = None, source: str = "", invented: bool = False
) -> ProfileImportReport:
    """Replace the profile's figures for each characteristic in a Census ward table (ONS custom dataset or
    ward_code,characteristic,category,count), all or nothing: one bad row (a ward not in the council, a count
    that is not a whole number, a category we do not know) and nothing is written, every bad row listed by line."""
    council = CouncilArea.current()
    if council is None:
        raise ProfileImportError("Load the council's wards before importing its profile.")
    try:
        read = read_profile(_decoded(file, ProfileImportError))
    except ProfileFileError as error:
        raise ProfileImportError(f"{error} Nothing was imported.") from error
    wards = {ward.code: ward for ward in council.wards.all()}
    errors = [RowError(line, reason) for line, reason in read.errors]
    unknown = {row.line: row.ward_code for row in read.rows if row.ward_code not in wards}
    errors += [
        RowError(line, f"the ward code “{code[:20]}” is not a ward in {council.area_name}.")
        for line, code in unknown.items()
    ]
    if errors:
        errors.sort(key=lambda error: error.line)
        raise ProfileImportError(
            f"{len(errors)} row{'s' if len(errors) != 1 else ''} cannot be used, so nothing was imported. "
            "Correct them and import the file again.",
            errors[:REPORTED_ERRORS],
        )
    if not read.rows:
        raise ProfileImportError("The file has no figures for residents aged 16 and over, so nothing was imported.")
    totals: dict[tuple[str, str, str], int] = {}
    for row in read.rows:
        key = (row.ward_code, row.characteristic, row.category)
        totals[key] = totals.get(key, 0) + row.count
    report = ProfileImportReport(layout=read.layout, left_out=read.left_out, warnings=list(read.warnings))
    for (_, characteristic, category), count in totals.items():
        categories = report.characteristics.setdefault(characteristic, {})
        categories[category] = categories.get(category, 0) + count
    report.wards = len({ward for ward, _, _ in totals})
    report.warnings += _profile_warnings(report, totals, len(wards))
    with transaction.atomic(), acting(by):
        replace_profile(
            council=council,
            counts=totals,
            wards=wards,
            source=source[:200],
            invented=invented,
            by=by,
        )
    return report


def _profile_warnings(report: ProfileImportReport, totals: dict[tuple[str, str, str], int], wards: int) -> list[str]:
    warnings = []
    for characteristic in report.characteristics:
        covered = len({ward for ward, key, _ in totals if key == characteristic})
        if covered < wards:
            warnings.append(
                f"Only {covered} of the council's {wards} wards have {CHARACTERISTICS[characteristic].lower()} "
                "figures: the others have none now."
            )
    young = [band for band in report.characteristics.get(AGE, {}) if age_band_bounds(band)[0] < ADULT_AGE]
    if young:
        warnings.append(
            f"The age band{'s' if len(young) > 1 else ''} {', '.join(young)} include{'' if len(young) > 1 else 's'} "
            f"children under {ADULT_AGE}: choose a table whose bands start at {ADULT_AGE} for an adult profile."
        )
    return warnings


def replace_profile(
    *,
    council: CouncilArea,
    counts: dict[tuple[str, str, str], int],
    wards: dict[str, Ward],
    source: str,
    invented: bool,
    by: Any = None,
) -> list[ProfileCount]:
    """Write (ward code, characteristic, category) -> residents, replacing every figure the council had for those
    characteristics; the caller holds the transaction."""
    characteristics = {characteristic for _, characteristic, _ in counts}
    ProfileCount.objects.filter(ward__council=council, characteristic__in=characteristics).delete()
    rows = ProfileCount.objects.bulk_create(
        ProfileCount(
            ward=wards[ward],
            characteristic=characteristic,
            category=category,
            count=count,
            invented=invented,
            source=source,
        )
        for (ward, characteristic, category), count in counts.items()
    )
    log_created(rows, by)
    return rows
