import { describe, expect, it } from "vitest";
import { readBody, readBodyText } from "./request-body";

/** A request whose body arrives in `chunks` pieces of `size` bytes, with no Content-Length; counts the pieces pulled. */
function streamed(chunks: number, size: number): { request: Request; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(120));
    },
  });
  return { request: new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit), pulled: () => pulled };
}

describe("readBody", () => {
  it("returns a body within the limit, byte for byte", async () => {
    const { request } = streamed(4, 1024);
    expect((await readBody(request, 4096)).length).toBe(4096);
  });

  it("refuses a declared length past the limit before reading", async () => {
    const request = new Request("http://localhost/x", { method: "POST", body: "x".repeat(10), headers: { "content-length": String(64 * 1024 + 1) } });
    await expect(readBody(request, 64 * 1024)).rejects.toMatchObject({ code: "too_large", message: "The body is larger than 64 KiB." });
  });

  it("stops a streamed body at the limit instead of buffering it", async () => {
    const { request, pulled } = streamed(1_000_000, 16 * 1024);
    await expect(readBody(request, 64 * 1024)).rejects.toMatchObject({ code: "too_large" });
    expect(pulled()).toBeLessThan(10);
  });

  it("names what to do in the text reader's message", async () => {
    const { request } = streamed(3, 1024 * 1024);
    await expect(readBodyText(request, 2 * 1024 * 1024)).rejects.toMatchObject({ message: "The body is larger than 2 MiB; split the batch." });
  });
});
