import {
  boundingBox,
  chordSquared,
  chordSquaredForKm,
  EARTH_RADIUS_KM,
  haversineKm,
  kmFromChordSquared,
  roundCoordinate,
  unitVector,
} from './geo';

const BERLIN = [52.52, 13.405] as const;
const POTSDAM = [52.3906, 13.0645] as const;

describe('geo', () => {
  it('the chord of the unit vectors gives the haversine distance', () => {
    const cases: Array<[number, number, number, number]> = [
      [...BERLIN, ...POTSDAM],
      [40.7128, -74.006, 51.5074, -0.1278],
      [-18.1248, 178.4501, -18.2333, -178.8],
      [0, 0, 0, 180],
      [89.9, 10, -89.9, -170],
      [52.52, 13.405, 52.52, 13.405],
    ];
    for (const [a, b, c, d] of cases) {
      const km = kmFromChordSquared(chordSquared(unitVector(a, b), unitVector(c, d)));
      expect(km).toBeCloseTo(haversineKm(a, b, c, d), 6);
    }
    expect(haversineKm(...BERLIN, ...POTSDAM)).toBeCloseTo(26.9, 0);
    expect(haversineKm(0, 0, 0, 180)).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });

  it('chordSquaredForKm inverts kmFromChordSquared', () => {
    for (const km of [0, 0.1, 1, 25, 500, 10_000]) expect(kmFromChordSquared(chordSquaredForKm(km))).toBeCloseTo(km, 6);
  });

  it('rounds public coordinates to 2 decimals (about 1 km)', () => {
    expect(roundCoordinate(52.516275)).toBe(52.52);
    expect(roundCoordinate(-73.9754)).toBe(-73.98);
    expect(haversineKm(52.516275, 13.377704, roundCoordinate(52.516275), roundCoordinate(13.377704))).toBeLessThan(1);
  });

  it('the bounding box holds every point of the circle (sampled), and splits at the antimeridian', () => {
    const inBox = (box: ReturnType<typeof boundingBox>, lat: number, lng: number) =>
      lat >= box.minLat &&
      lat <= box.maxLat &&
      (box.lngRanges.length === 0 || box.lngRanges.some(([lo, hi]) => lng >= lo && lng <= hi));
    const centres: Array<[number, number, number]> = [
      [...BERLIN, 500],
      [-18.12, 178.45, 300],
      [0, -179.9, 50],
      [70, 20, 400],
      [-60, 100, 200],
    ];
    for (const [lat, lng, r] of centres) {
      const box = boundingBox(lat, lng, r);
      for (let bearing = 0; bearing < 360; bearing += 5) {
        const [plat, plng] = destination(lat, lng, bearing, r * 0.999);
        expect(inBox(box, plat, plng)).toBe(true);
      }
    }
    expect(boundingBox(-18.12, 178.45, 300).lngRanges).toHaveLength(2);
    expect(boundingBox(89, 0, 300).lngRanges).toEqual([]); // around the pole: every longitude
  });
});

/** The point `km` from (lat, lng) at `bearing` degrees (great circle). */
function destination(lat: number, lng: number, bearing: number, km: number): [number, number] {
  const r = Math.PI / 180;
  const d = km / EARTH_RADIUS_KM;
  const p1 = lat * r;
  const b = bearing * r;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = lng * r + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [p2 / r, ((((l2 / r + 540) % 360) + 360) % 360) - 180];
}
