import { describe, expect, it } from "vitest";
import { MAX_PREFIX_IDS, operationInput } from "./operation-input";

const base = { kind: "restore", popCodes: "AMS1", reason: "maintenance done" };

describe("an operation's input", () => {
  it("takes several prefixes as ids or a list, each once, in order", () => {
    expect(operationInput.parse({ ...base, prefixIds: "3, 1 3" }).prefixIds).toEqual([1, 3]);
    expect(operationInput.parse({ ...base, prefixIds: [2, "1"] }).prefixIds).toEqual([1, 2]);
    expect(operationInput.parse(base).prefixIds).toBeNull();
  });

  it("refuses more prefixes than any fleet has, before planning scans them", () => {
    const many = Array.from({ length: MAX_PREFIX_IDS + 1 }, (_, index) => index + 1);
    const parsed = operationInput.safeParse({ ...base, prefixIds: many });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(`At most ${MAX_PREFIX_IDS} prefixes at once.`);
    expect(operationInput.safeParse({ ...base, prefixIds: many.slice(0, MAX_PREFIX_IDS) }).success).toBe(true);
  });

  it("refuses a prefix id no row can have, before the database sees it", () => {
    for (const input of [{ prefixId: "99999999999" }, { prefixId: 0 }, { prefixIds: "1, 2147483648" }, { prefixIds: ["x"] }]) {
      expect(operationInput.safeParse({ ...base, ...input }).error?.issues[0]?.message, JSON.stringify(input)).toBe("Unknown prefix.");
    }
    expect(operationInput.parse({ ...base, prefixId: "2147483647" }).prefixId).toBe(2147483647);
  });
});
