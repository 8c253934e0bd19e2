import { describe, expect, it } from "vitest";
import { formDataToObject } from "./form-data";

describe("formDataToObject", () => {
  it("nests dotted names into objects and arrays without holes", () => {
    const form = new FormData();
    form.set("code", "AMS1");
    form.set("upstreams.3.name", "Cogent");
    form.set("upstreams.0.name", "NTT");
    form.set("upstreams.0.peerAsn", "2914");
    form.set("$ACTION_ID_abc", "");
    expect(formDataToObject(form)).toEqual({ code: "AMS1", upstreams: [{ name: "NTT", peerAsn: "2914" }, { name: "Cogent" }] });
  });

  it("keeps repeated names as an array", () => {
    const form = new FormData();
    form.append("tag", "a");
    form.append("tag", "b");
    expect(formDataToObject(form)).toEqual({ tag: ["a", "b"] });
  });
});
