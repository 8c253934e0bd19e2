import { describe, expect, it } from "vitest";
import { EARTH_MEAN_RADIUS_KM, distanceKm, minRttMs } from "./geo";

const london = { lat: 51.50853, lon: -0.12574 };
const newYork = { lat: 40.71427, lon: -74.00597 };
const paris = { lat: 48.85341, lon: 2.3488 };
const sydney = { lat: -33.86785, lon: 151.20732 };
const auckland = { lat: -36.84853, lon: 174.76349 };
const tokyo = { lat: 35.6895, lon: 139.69171 };
const singapore = { lat: 1.28967, lon: 103.85007 };

describe("distanceKm", () => {
  it.each([
    ["London", london, "New York", newYork, 5570],
    ["London", london, "Paris", paris, 344],
    ["Sydney", sydney, "Auckland", auckland, 2156],
    ["Tokyo", tokyo, "Singapore", singapore, 5317],
  ])("%s to %s is about %s km", (_a, a, _b, b, km) => {
    expect(Math.abs(distanceKm(a, b) - km)).toBeLessThan(km * 0.005);
  });

  it("is symmetric and zero from a place to itself", () => {
    expect(distanceKm(london, newYork)).toBeCloseTo(distanceKm(newYork, london), 9);
    expect(distanceKm(tokyo, tokyo)).toBe(0);
  });

  it("is half the circumference between antipodes", () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_MEAN_RADIUS_KM, 6);
    expect(distanceKm({ lat: 90, lon: 0 }, { lat: -90, lon: 0 })).toBeCloseTo(Math.PI * EARTH_MEAN_RADIUS_KM, 6);
  });

  it("takes the short way across the antimeridian", () => {
    expect(distanceKm({ lat: 0, lon: 179.5 }, { lat: 0, lon: -179.5 })).toBeCloseTo(111.2, 0);
  });
});

describe("minRttMs", () => {
  it("allows 1 ms of round trip per 100 km (light in fibre, about 200 km per ms one way)", () => {
    expect(minRttMs(0)).toBe(0);
    expect(minRttMs(100)).toBe(1);
    expect(minRttMs(distanceKm(london, newYork))).toBeCloseTo(55.7, 0);
  });
});
