// `npm ci` on the oldest Node.js the README promises must install without EBADENGINE: each
// package the lock installs accepts that version (it printed warnings for two that wanted
// Node 22; see the overrides in package.json).
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "..");
const readJson = (file: string) => JSON.parse(readFileSync(path.join(repo, file), "utf8")) as Record<string, unknown>;

type LockEntry = { version?: string; engines?: { node?: unknown }; link?: boolean };

const declared = (readJson("package.json").engines as { node: string }).node;
const oldest = semver.minVersion(declared)!;

describe("the Node.js the README promises", () => {
  it("is the one package.json declares", () => {
    expect(readFileSync(path.join(repo, "README.md"), "utf8")).toContain(`Node.js ${oldest.major}.${oldest.minor}+`);
  });

  it("is accepted by every package the lock installs", () => {
    const packages = readJson("package-lock.json").packages as Record<string, LockEntry>;
    const refusing = Object.entries(packages)
      .filter(([, entry]) => typeof entry.engines?.node === "string" && !semver.satisfies(oldest, entry.engines.node))
      .map(([location, entry]) => `${location}@${entry.version} wants node ${String(entry.engines?.node)}`);
    expect(refusing).toEqual([]);
  });
});
