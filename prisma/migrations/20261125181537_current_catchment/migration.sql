-- CreateTable
CREATE TABLE "current_catchment" (
    "probe_id" INTEGER NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "pop_id" INTEGER,
    "answer" TEXT NOT NULL,
    "rtt_ms" DOUBLE PRECISION,
    "measured_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "current_catchment_pkey" PRIMARY KEY ("probe_id","prefix_id")
);

-- CreateIndex
CREATE INDEX "current_catchment_prefix_id_pop_id_idx" ON "current_catchment"("prefix_id", "pop_id");

-- CreateIndex
CREATE INDEX "current_catchment_pop_id_idx" ON "current_catchment"("pop_id");

-- AddForeignKey
ALTER TABLE "current_catchment" ADD CONSTRAINT "current_catchment_probe_id_fkey" FOREIGN KEY ("probe_id") REFERENCES "probe"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_catchment" ADD CONSTRAINT "current_catchment_prefix_id_fkey" FOREIGN KEY ("prefix_id") REFERENCES "prefix"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "current_catchment" ADD CONSTRAINT "current_catchment_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The current catchment follows every insert into measurement, whichever way it comes
-- (a statement-level trigger: one upsert per INSERT or COPY, not per row). An answer older
-- than the one already current changes nothing.
CREATE FUNCTION "current_catchment_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO current_catchment (probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at)
  SELECT DISTINCT ON (probe_id, prefix_id) probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at
    FROM new_measurements
   ORDER BY probe_id, prefix_id, measured_at DESC
  ON CONFLICT (probe_id, prefix_id) DO UPDATE
     SET pop_id = EXCLUDED.pop_id, answer = EXCLUDED.answer, rtt_ms = EXCLUDED.rtt_ms, measured_at = EXCLUDED.measured_at
   WHERE current_catchment.measured_at <= EXCLUDED.measured_at;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "measurement_current_catchment"
  AFTER INSERT ON "measurement"
  REFERENCING NEW TABLE AS new_measurements
  FOR EACH STATEMENT EXECUTE FUNCTION "current_catchment_refresh"();

-- Measurements stored before this migration.
INSERT INTO current_catchment (probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at)
SELECT DISTINCT ON (probe_id, prefix_id) probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at
  FROM measurement
 ORDER BY probe_id, prefix_id, measured_at DESC;
