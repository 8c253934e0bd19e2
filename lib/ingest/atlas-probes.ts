// The RIPE Atlas probe archive: `{ "objects": [...] }` as the archive is published, or a plain
// array. Results carry no location, so this is what places probes on the map.
import { parseAsn } from "../domain/asn";
import { countryCode, latitudeLongitude, quote, type Field } from "./fields";
import { createJsonRecordReader, createUnwrapper, isObject, positionOf, type JsonRecord } from "./json-records";
import { IngestRefusedError, parseWhole, type BatchParser, type ParsedProbe, type ParseIssue, type ParseResult } from "./types";

const WHAT = "a RIPE Atlas probe archive";

export function parseAtlasProbes(text: string): ParseResult<ParsedProbe> {
  return parseWhole(createAtlasProbesParser(), text);
}

export function createAtlasProbesParser(): BatchParser<ParsedProbe> {
  const reader = createJsonRecordReader(WHAT);

  const read = (input: JsonRecord[]): ParseResult<ParsedProbe> => {
    const records: ParsedProbe[] = [];
    const issues: ParseIssue[] = [];
    for (const item of unwrap(input)) {
      const position = positionOf(item);
      const parsed = "error" in item ? ({ ok: false, reason: item.error } as const) : readProbe(item.value);
      if (parsed.ok) records.push(parsed.value);
      else issues.push({ ...position, reason: parsed.reason });
    }
    return { records, issues, errors: 0, total: issues.length + records.length };
  };

  // A first record that is no probe is the archive's wrapper: its objects are the probes.
  const unwrap = createUnwrapper((value) => {
    if ("id" in value) return undefined;
    if (!Array.isArray(value.objects)) {
      throw new IngestRefusedError("not_format", `Not ${WHAT}: expected "objects": [...] or an array of probes.`);
    }
    return value.objects;
  });

  return { push: (text) => read(reader.push(text)), end: () => read(reader.end()) };
}

function readProbe(value: unknown): Field<ParsedProbe> {
  if (!isObject(value)) return { ok: false, reason: "not a JSON object" };
  const id = value.id;
  if (!(typeof id === "number" && Number.isInteger(id) && id > 0) && !(typeof id === "string" && /^\d+$/.test(id))) {
    return { ok: false, reason: id === undefined ? "id is missing" : `id ${quote(id)} is not a probe number` };
  }
  const label = `probe ${id}`;
  const coordinates = isObject(value.geometry) && Array.isArray(value.geometry.coordinates) ? value.geometry.coordinates : null;
  const place = coordinates
    ? latitudeLongitude(coordinates[1], coordinates[0])
    : latitudeLongitude(value.latitude, value.longitude);
  if (!place.ok) return { ok: false, reason: `${label}: ${place.reason}` };
  if (!place.value) return { ok: false, reason: `${label} has no coordinates` };
  const country = countryCode(value.country_code);
  if (!country.ok) return { ok: false, reason: `${label}: ${country.reason}` };
  const asnV4 = optionalAsn(value.asn_v4, "asn_v4");
  if (!asnV4.ok) return { ok: false, reason: `${label}: ${asnV4.reason}` };
  const asnV6 = optionalAsn(value.asn_v6, "asn_v6");
  if (!asnV6.ok) return { ok: false, reason: `${label}: ${asnV6.reason}` };
  return {
    ok: true,
    value: {
      source: "atlas",
      externalId: String(id),
      lat: place.value.lat,
      lon: place.value.lon,
      country: country.value,
      asnV4: asnV4.value,
      asnV6: asnV6.value,
      addressV4: optionalText(value.address_v4),
      addressV6: optionalText(value.address_v6),
    },
  };
}

function optionalAsn(value: unknown, name: string): Field<number | null> {
  if (value === undefined || value === null || value === "") return { ok: true, value: null };
  const asn = parseAsn(value);
  return asn.ok ? { ok: true, value: asn.asn } : { ok: false, reason: `${name} ${quote(value)}: ${asn.error}` };
}

function optionalText(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}
