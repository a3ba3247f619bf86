"""Outlines of Gansu's prefectures for the dashboard's map, drawn as SVG on the server.

The boundaries come from the pinned ``echarts-china-provinces-pypkg`` package (its
``gansu.js``, the ECharts map of the province): no tile server and nothing fetched at run time,
as government intranets have no internet. That file is JavaScript registering a GeoJSON
FeatureCollection whose rings are compressed the ECharts way (``UTF8Encoding``: each coordinate
a zigzag-encoded delta in a character, scaled by 1024). This module reads it once per process,
decodes the rings, projects them, simplifies them to the map's resolution and keeps SVG paths
keyed by division code.

兰州新区 is a prefecture-level unit of the registry without a boundary in that data (it lies
within 兰州市's outline), so it is drawn as a marker at its seat.
"""

import importlib.util
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PACKAGE = "echarts_china_provinces_pypkg"
MAP_FILE = Path("resources", "echarts-china-provinces-js", "gansu.js")
ENCODE_SCALE = 1024
# The map's width in SVG units; the height follows from the province's shape.
WIDTH = 600
MARGIN = 8
# Points closer than this to the simplified outline (SVG units) are dropped.
TOLERANCE = 0.6
# A plain equirectangular projection, corrected at Gansu's middle latitude, is faithful enough
# for one province.
MIDDLE_LATITUDE = 37.0
LANZHOU_NEW_AREA = "LZXQ"
# Seat of 兰州新区 (中川, Gaolan and Yongdeng counties), longitude and latitude.
LANZHOU_NEW_AREA_SEAT = (103.68, 36.53)
# Where names go (longitude, latitude) when the seat given by the data would crowd others.
LABEL_AT = {"620900": (96.6, 40.2), "620400": (104.5, 36.95), "620600": (103.0, 38.2)}


class MapDataMissing(Exception):
    """The boundary package is not installed, or its file has a shape this module cannot read."""


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    path: str  # SVG path data
    label: tuple[float, float]  # where the name goes


@dataclass(frozen=True)
class GansuMap:
    width: int
    height: int
    outlines: tuple[Outline, ...]
    # The 兰州新区 marker's position.
    new_area: tuple[float, float]


def _source():
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MapDataMissing(f"{PACKAGE} is not installed")
    path = Path(spec.submodule_search_locations[0]) / MAP_FILE
    if not path.is_file():
        raise MapDataMissing(f"{path} is missing")
    return path.read_text(encoding="utf-8")


def _feature_collection(script):
    """The object literal given to ``registerMap``, as JSON (its keys are unquoted in the
    script; none of the encoded strings holds a ``:``, so quoting the keys is safe)."""
    start = script.find('{type:"FeatureCollection"')
    end = script.rfind(",UTF8Encoding")
    if start < 0 or end < 0:
        raise MapDataMissing("gansu.js is not an ECharts map of the expected shape")
    literal = script[start:end] + "}"
    literal = re.sub(r'([{,])([A-Za-z_]\w*):', r'\1"\2":', literal)
    return json.loads(literal)


def decode_ring(encoded, offset):
    """ECharts' ``decodeRing``: longitude/latitude pairs from an encoded ring."""
    points = []
    x, y = offset
    for i in range(0, len(encoded) - 1, 2):
        dx = ord(encoded[i]) - 64
        dy = ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x / ENCODE_SCALE, y / ENCODE_SCALE))
    return points


def _rings(geometry):
    """Every ring of a Polygon or MultiPolygon, decoded."""
    coordinates, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        coordinates, offsets = [coordinates], [offsets]
    for polygon, polygon_offsets in zip(coordinates, offsets, strict=True):
        for ring, offset in zip(polygon, polygon_offsets, strict=True):
            yield decode_ring(ring, offset)


def _simplify(points, tolerance):
    """Douglas–Peucker, iteratively; keeps the first and last point."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _path(rings):
    parts = []
    for ring in rings:
        if len(ring) < 3:
            continue
        head, *rest = ring
        parts.append(
            f"M{head[0]:.1f} {head[1]:.1f}"
            + "".join(f"L{x:.1f} {y:.1f}" for x, y in rest)
            + "Z"
        )
    return "".join(parts)


@lru_cache(maxsize=1)
def gansu_map():
    """The province's prefectures as SVG paths, projected to a ``WIDTH``-wide map."""
    collection = _feature_collection(_source())
    features = [
        (feature["id"], feature["properties"], list(_rings(feature["geometry"])))
        for feature in collection["features"]
    ]
    cos = math.cos(math.radians(MIDDLE_LATITUDE))
    longitudes = [lon for _, _, rings in features for ring in rings for lon, _ in ring]
    latitudes = [lat for _, _, rings in features for ring in rings for _, lat in ring]
    west, east = min(longitudes), max(longitudes)
    south, north = min(latitudes), max(latitudes)
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * cos)
    height = round((north - south) * scale + 2 * MARGIN)

    def project(lon, lat):
        return (MARGIN + (lon - west) * cos * scale, MARGIN + (north - lat) * scale)

    def label(code, properties, rings):
        return LABEL_AT.get(code) or properties.get("cp") or rings[0][0]

    outlines = []
    for code, properties, rings in features:
        projected = [_simplify([project(*point) for point in ring], TOLERANCE) for ring in rings]
        outlines.append(
            Outline(
                code=str(code),
                name=properties["name"],
                path=_path(projected),
                label=project(*label(str(code), properties, rings)),
            )
        )
    return GansuMap(
        width=WIDTH,
        height=height,
        outlines=tuple(outlines),
        new_area=project(*LANZHOU_NEW_AREA_SEAT),
    )
