-- DropForeignKey
ALTER TABLE "current_catchment" DROP CONSTRAINT "current_catchment_pop_id_fkey";

-- DropForeignKey
ALTER TABLE "current_catchment" DROP CONSTRAINT "current_catchment_prefix_id_fkey";

-- DropForeignKey
ALTER TABLE "current_catchment" DROP CONSTRAINT "current_catchment_probe_id_fkey";

-- current_catchment is derived from measurement rows (whose foreign keys are checked): per-row
-- checks on it cost a bulk import a quarter of its time. It follows deletes as its foreign keys
-- did, once per statement: a deleted probe or prefix takes its rows along, a deleted PoP leaves
-- its answers unmatched.
CREATE OR REPLACE FUNCTION "current_catchment_forget_probes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "current_catchment" c USING gone g WHERE c."probe_id" = g."id";
  RETURN NULL;
END;
$$;
CREATE TRIGGER "current_catchment_forget_probes" AFTER DELETE ON "probe" REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "current_catchment_forget_probes"();

CREATE OR REPLACE FUNCTION "current_catchment_forget_prefixes"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "current_catchment" c USING gone g WHERE c."prefix_id" = g."id";
  RETURN NULL;
END;
$$;
CREATE TRIGGER "current_catchment_forget_prefixes" AFTER DELETE ON "prefix" REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "current_catchment_forget_prefixes"();

CREATE OR REPLACE FUNCTION "current_catchment_forget_pops"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "current_catchment" c SET "pop_id" = NULL FROM gone g WHERE c."pop_id" = g."id";
  RETURN NULL;
END;
$$;
CREATE TRIGGER "current_catchment_forget_pops" AFTER DELETE ON "pop" REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "current_catchment_forget_pops"();

-- Rows whose probe, prefix or PoP is already gone cannot exist under the old keys; none to clean.
