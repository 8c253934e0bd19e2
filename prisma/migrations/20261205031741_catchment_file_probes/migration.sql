-- Verfploeter and MAnycastR catchment files: each client /24 (or /48) becomes a probe of its
-- own source, and such a probe has no coordinates unless a geolocation file gives them.
-- (PostgreSQL 12+ adds enum values inside a transaction; they are not used in this one.)
ALTER TYPE "ProbeSource" ADD VALUE 'verfploeter';
ALTER TYPE "ProbeSource" ADD VALUE 'manycastr';

ALTER TABLE "probe" ALTER COLUMN "latitude" DROP NOT NULL,
ALTER COLUMN "longitude" DROP NOT NULL;

-- A probe is placed or not: never half a coordinate.
ALTER TABLE "probe" ADD CONSTRAINT "probe_coordinates_together" CHECK (("latitude" IS NULL) = ("longitude" IS NULL));
