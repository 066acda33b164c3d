"""Plane geometry for the generated city: just what the generator needs.

Stdlib only (the generator must run without GEOS). Coordinates are metres
in a local frame centred on the city centre; :func:`wkt_multipolygon` and
friends shift them to EPSG:9836 and round to millimetres. Rings are lists of
(x, y) tuples, open (the first point is not repeated), counter-clockwise.

The one non-trivial piece is :func:`clip`: the intersection of a simple
polygon with a convex region given as half-planes. Sutherland–Hodgman is
exact for that, except that where the result falls apart into several
pieces it joins them with zero-width "bridges" running along a clip line;
:func:`clip` cuts those bridges away so that every piece comes out as a
valid ring.
"""

from __future__ import annotations

import math
from collections import defaultdict

Point = tuple[float, float]
Ring = list[Point]
# A half-plane nx*x + ny*y >= c, stored as (nx, ny, c).
HalfPlane = tuple[float, float, float]

# A point lies on a clip line when it is closer than this (metres).
ON_LINE = 1e-7


def ring_area(ring: Ring) -> float:
    """Signed area (shoelace): positive for counter-clockwise rings."""
    s = 0.0
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return s / 2


def point_in_ring(p: Point, ring: Ring) -> bool:
    """Even-odd ray casting (points on the edge may go either way)."""
    x, y = p
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def segment_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from point p to segment ab."""
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(p[0] - ax, p[1] - ay)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def distance_to_ring(p: Point, ring: Ring) -> float:
    """Distance from p to the outline of a ring."""
    return min(segment_distance(p, ring[i - 1], ring[i]) for i in range(len(ring)))


def ray_to_ring(ring: Ring, dx: float, dy: float) -> float:
    """How far from the origin the ray in direction (dx, dy) leaves the ring (the farthest crossing)."""
    best = 0.0
    for k in range(len(ring)):
        (ax, ay), (bx, by) = ring[k - 1], ring[k]
        ex, ey = bx - ax, by - ay
        det = dx * (-ey) + ex * dy
        if abs(det) < 1e-12:
            continue
        # origin + r*(dx, dy) = a + s*(e): Cramer's rule for r and s.
        r = (ax * (-ey) + ex * ay) / det
        s = (dx * ay - dy * ax) / det
        if 0 <= s <= 1 and r > best:
            best = r
    return best


def _segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return (orient(a, b, c) > 0) != (orient(a, b, d) > 0) and (orient(c, d, a) > 0) != (orient(c, d, b) > 0)


def polyline_distance(a: Point, b: Point, line: list[Point]) -> float:
    """Distance between segment ab and a polyline (0 if they cross)."""
    best = math.inf
    for i in range(1, len(line)):
        c, d = line[i - 1], line[i]
        if _segments_cross(a, b, c, d):
            return 0.0
        best = min(
            best,
            segment_distance(a, c, d),
            segment_distance(b, c, d),
            segment_distance(c, a, b),
            segment_distance(d, a, b),
        )
    return best


# ------------------------------------------------------------------ clipping
def clip_halfplane(ring: Ring, hp: HalfPlane) -> Ring:
    """One Sutherland–Hodgman pass: the part of ring where nx*x + ny*y >= c."""
    nx, ny, c = hp
    out: Ring = []
    n = len(ring)
    if n == 0:
        return out
    prev = ring[-1]
    d_prev = nx * prev[0] + ny * prev[1] - c
    for cur in ring:
        d_cur = nx * cur[0] + ny * cur[1] - c
        if d_cur >= 0:
            if d_prev < 0:
                t = d_prev / (d_prev - d_cur)
                out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
            out.append(cur)
        elif d_prev >= 0:
            t = d_prev / (d_prev - d_cur)
            out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
        prev, d_prev = cur, d_cur
    return out


def clip(ring: Ring, halfplanes: list[HalfPlane], min_area: float = 0.01) -> list[Ring]:
    """The pieces of a simple polygon inside a convex region (an intersection of half-planes).

    The pieces tile the part of the polygon inside the region exactly, so
    clipping one polygon by the cells of a partition of the plane gives
    pieces that tile the polygon. Each piece is a valid ring (no repeated
    vertices, no spikes, at least 3 distinct points); pieces smaller than
    ``min_area`` m² are dropped.
    """
    out = ring
    for hp in halfplanes:
        out = clip_halfplane(out, hp)
        if len(out) < 3:
            return []
    out = _dedupe(out)
    if len(out) < 3:
        return []
    pieces = _cut_bridges(out, halfplanes)
    result = []
    for piece in pieces:
        piece = _drop_collinear(piece)
        if len(piece) >= 3 and abs(ring_area(piece)) >= min_area:
            result.append(piece)
    return result


def _dedupe(ring: Ring) -> Ring:
    out: Ring = []
    for p in ring:
        if not out or abs(p[0] - out[-1][0]) > 1e-9 or abs(p[1] - out[-1][1]) > 1e-9:
            out.append(p)
    while len(out) > 1 and abs(out[0][0] - out[-1][0]) <= 1e-9 and abs(out[0][1] - out[-1][1]) <= 1e-9:
        out.pop()
    return out


def _cut_bridges(ring: Ring, halfplanes: list[HalfPlane]) -> list[Ring]:
    """Remove the zero-width connections Sutherland–Hodgman leaves along clip lines.

    Edges lying on a clip line are split at every ring vertex on that line;
    a piece of such an edge traversed both ways is a bridge and cancels
    out. The remaining edges are linked into rings again, and a ring that
    passes a vertex twice is split there.
    """
    on_line: list[list[int]] = []  # vertex indices on each clip line
    for nx, ny, c in halfplanes:
        on_line.append([i for i, (x, y) in enumerate(ring) if abs(nx * x + ny * y - c) <= ON_LINE])
    if all(len(v) <= 2 for v in on_line):
        return [ring]  # one piece: at most one stretch along each line

    n = len(ring)
    edges: list[tuple[Point, Point]] = []
    for i in range(n):
        a, b = ring[i], ring[(i + 1) % n]
        split = [a, b]
        for k, (nx, ny, _c) in enumerate(halfplanes):
            idx = on_line[k]
            if i in idx and (i + 1) % n in idx:
                # Direction along the line: (-ny, nx).
                ta, tb = -ny * a[0] + nx * a[1], -ny * b[0] + nx * b[1]
                lo, hi = min(ta, tb), max(ta, tb)
                inner = []
                for j in idx:
                    p = ring[j]
                    t = -ny * p[0] + nx * p[1]
                    if lo + 1e-9 < t < hi - 1e-9:
                        inner.append((t, p))
                inner.sort(reverse=ta > tb)
                split = [a, *(p for _t, p in inner), b]
                break
        for s in range(len(split) - 1):
            if split[s] != split[s + 1]:
                edges.append((split[s], split[s + 1]))

    count: dict[tuple[Point, Point], int] = defaultdict(int)
    for e in edges:
        count[e] += 1
    for a, b in list(count):
        k = count[(a, b)]
        back = count.get((b, a), 0)
        if k and back:
            m = min(k, back)
            count[(a, b)] -= m
            count[(b, a)] -= m

    outgoing: dict[Point, list[Point]] = defaultdict(list)
    remaining = 0
    for e in edges:  # in ring order, so that tracing follows the original ring
        if count[e] > 0:
            count[e] -= 1
            outgoing[e[0]].append(e[1])
            remaining += 1
    rings: list[Ring] = []
    for start in list(outgoing):
        while outgoing[start]:
            loop = [start]
            cur = outgoing[start].pop(0)
            while cur != start:
                loop.append(cur)
                if not outgoing[cur]:
                    break  # should not happen for a closed set of edges
                cur = outgoing[cur].pop(0)
            rings.extend(_split_at_repeats(loop))
    return rings


def _split_at_repeats(loop: Ring) -> list[Ring]:
    seen: dict[Point, int] = {}
    for i, p in enumerate(loop):
        if p in seen:
            j = seen[p]
            inner = loop[j:i]
            outer = loop[:j] + loop[i:]
            return _split_at_repeats(inner) + _split_at_repeats(outer)
        seen[p] = i
    return [loop]


def _drop_collinear(ring: Ring) -> Ring:
    """Remove vertices where the outline goes straight on or turns back (spikes)."""
    pts = list(ring)
    changed = True
    while changed and len(pts) >= 3:
        changed = False
        out: Ring = []
        n = len(pts)
        for i in range(n):
            a = out[-1] if out else pts[i - 1]
            b = pts[i]
            c = pts[(i + 1) % n]
            abx, aby = b[0] - a[0], b[1] - a[1]
            bcx, bcy = c[0] - b[0], c[1] - b[1]
            cross = abx * bcy - aby * bcx
            scale = math.hypot(abx, aby) * math.hypot(bcx, bcy)
            if scale == 0 or abs(cross) <= 1e-10 * scale:
                changed = True
                continue
            out.append(b)
        pts = out
    return pts


# -------------------------------------------------------------- output (WKT)
class Frame:
    """Local metres around the centre <-> EPSG:9836, rounded to millimetres."""

    def __init__(self, cx: float, cy: float):
        self.cx = cx
        self.cy = cy

    def coord(self, p: Point) -> str:
        return f"{self.cx + p[0]:.3f} {self.cy + p[1]:.3f}"

    def point(self, p: Point) -> str:
        return f"POINT({self.coord(p)})"

    def _ring(self, ring: Ring) -> str:
        coords = [self.coord(p) for p in ring]
        # Rounding to millimetres must not leave two equal neighbours.
        clean = [c for i, c in enumerate(coords) if c != coords[i - 1]] if len(coords) > 1 else coords
        return "(" + ",".join([*clean, clean[0]]) + ")"

    def multipolygon(self, rings: list[Ring]) -> str:
        return "MULTIPOLYGON(" + ",".join("(" + self._ring(r) + ")" for r in rings) + ")"

    def multilinestring(self, lines: list[list[Point]]) -> str:
        return "MULTILINESTRING(" + ",".join("(" + ",".join(self.coord(p) for p in line) + ")" for line in lines) + ")"
