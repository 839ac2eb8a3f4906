/**
 * Distances without `$geoNear`: each profile stores the unit vector of its public position, and
 * the squared chord between two unit vectors needs only + - × (which every MongoDB, including
 * mongo-java-server, evaluates). The chord is a monotonic function of the great-circle distance,
 * identical to the haversine term: hav(θ) = chord² / 4, so filtering and sorting by chord² is
 * filtering and sorting by the exact haversine distance (docs/decisions/0003-...).
 */

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Decimals of public coordinates: 0.01° ≈ 1.1 km of latitude (less of longitude away from the equator). */
export const PUBLIC_COORDINATE_DECIMALS = 2;

const RAD = Math.PI / 180;

export interface UnitVector {
  x: number;
  y: number;
  z: number;
}

/** The position clients see: rounded to about 1 km. */
export function roundCoordinate(value: number): number {
  const f = 10 ** PUBLIC_COORDINATE_DECIMALS;
  return Math.round(value * f) / f;
}

export function unitVector(latitude: number, longitude: number): UnitVector {
  const lat = latitude * RAD;
  const lng = longitude * RAD;
  return { x: Math.cos(lat) * Math.cos(lng), y: Math.cos(lat) * Math.sin(lng), z: Math.sin(lat) };
}

/** Squared chord length between two points on the unit sphere (0..4). */
export function chordSquared(a: UnitVector, b: UnitVector): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  const dz = a.z - b.z;
  return dx * dx + dy * dy + dz * dz;
}

/** Great-circle distance for a squared chord: 2R·asin(chord / 2), the haversine formula. */
export function kmFromChordSquared(d2: number): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(Math.max(0, d2)) / 2));
}

/** The squared chord of a great-circle distance (inverse of kmFromChordSquared). */
export function chordSquaredForKm(km: number): number {
  const half = Math.min(km / (2 * EARTH_RADIUS_KM), Math.PI / 2);
  return (2 * Math.sin(half)) ** 2;
}

/** Haversine distance in km (used for checks and documentation; search uses the chord). */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  /** One range, or two when the box crosses the antimeridian; empty when every longitude is in. */
  lngRanges: Array<[number, number]>;
}

/** Tolerance that keeps points exactly on the circle inside the box despite rounding. */
const EPS = 1e-9;

/**
 * The smallest latitude/longitude box holding every point within `radiusKm` of the centre, for an
 * index range scan before the exact distance (J. P. Matuschek, "Finding points within a distance
 * of a latitude/longitude using bounding coordinates").
 */
export function boundingBox(latitude: number, longitude: number, radiusKm: number): BoundingBox {
  const angular = radiusKm / EARTH_RADIUS_KM;
  const dLat = angular / RAD;
  const minLat = latitude - dLat;
  const maxLat = latitude + dLat;
  if (minLat <= -90 || maxLat >= 90) {
    return { minLat: Math.max(-90, minLat) - EPS, maxLat: Math.min(90, maxLat) + EPS, lngRanges: [] };
  }
  const dLng = Math.asin(Math.min(1, Math.sin(angular) / Math.cos(latitude * RAD))) / RAD;
  const lo = longitude - dLng - EPS;
  const hi = longitude + dLng + EPS;
  let lngRanges: Array<[number, number]>;
  if (hi - lo >= 360) lngRanges = [];
  else if (lo < -180)
    lngRanges = [
      [lo + 360, 180],
      [-180, hi],
    ];
  else if (hi > 180)
    lngRanges = [
      [lo, 180],
      [-180, hi - 360],
    ];
  else lngRanges = [[lo, hi]];
  return { minLat: minLat - EPS, maxLat: maxLat + EPS, lngRanges };
}
