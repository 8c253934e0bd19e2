import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, fetchJson } from "./fetch-json";

afterEach(() => vi.unstubAllGlobals());
const answer = (status: number, body: string) => vi.stubGlobal("fetch", vi.fn(async () => new Response(body, { status, headers: { "content-type": "application/json" } })));

describe("fetchJson", () => {
  it("gives the parsed body of a success", async () => {
    answer(200, '{"cities":[]}');
    await expect(fetchJson("/api/v1/placement/cities?q=x")).resolves.toEqual({ cities: [] });
  });

  it("throws the message the route wrote, with the status", async () => {
    answer(403, '{"error":{"code":"forbidden","message":"This needs the operator role."}}');
    const error = await fetchJson("/x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, message: "This needs the operator role." });
  });

  it("says the status when the answer is not the API's JSON (a proxy's error page)", async () => {
    answer(502, "<html>Bad gateway</html>");
    await expect(fetchJson("/x")).rejects.toThrow("The console answered HTTP 502.");
  });
});
