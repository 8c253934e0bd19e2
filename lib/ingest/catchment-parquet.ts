// MAnycastR's Parquet output (its `--parquet` flag): the CSV's columns (rx, addr, ttl, rx_time,
// tx_time, tx, rtt, chaos_data, origin_id), written by the Rust parquet crate with Snappy, one
// row group per 50,000 replies or so. Read with hyparquet, a row group at a time.
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { CATCHMENT_COLUMNS, catchmentFormatOf, createReplyReader, type CatchmentFileOptions } from "./catchment-file";
import { IngestRefusedError, type ParsedMeasurement, type ParseResult } from "./types";

/** The Parquet magic number, at both ends of the file. */
export const PARQUET_MAGIC = "PAR1";

/** Replies of a MAnycastR Parquet file, in chunks of at most `chunkRows` rows. */
export async function* readManycastrParquet(file: ArrayBuffer, options: CatchmentFileOptions = {}, chunkRows = 20_000): AsyncGenerator<ParseResult<ParsedMeasurement>> {
  let metadata;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw new IngestRefusedError("not_format", `Not a readable Parquet file (${error instanceof Error ? error.message : "unknown error"}).`);
  }
  const names = metadata.schema.slice(1).map((element) => element.name.toLowerCase());
  if (catchmentFormatOf(names) !== "manycastr") {
    throw new IngestRefusedError("not_format", `Not a MAnycastR Parquet file: its columns (${names.join(", ")}) lack rx and addr.`);
  }
  const wanted = Object.values(CATCHMENT_COLUMNS.manycastr).filter((name) => names.includes(name));
  const readReply = createReplyReader("manycastr", options);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, columns: wanted, rowStart, rowEnd });
    for (let from = 0; from < rows.length; from += chunkRows) {
      const result: ParseResult<ParsedMeasurement> = { records: [], issues: [], errors: 0, total: 0, duplicates: 0 };
      for (let i = from; i < Math.min(rows.length, from + chunkRows); i++) {
        const row = rows[i]!;
        readReply({ site: row.rx, address: row.addr, time: row.rx_time, rtt: row.rtt }, { index: rowStart + i + 1 }, result);
      }
      yield result;
    }
    rowStart = rowEnd;
  }
}
