-- AlterTable
ALTER TABLE "probe" ADD COLUMN     "region" "Region";

-- CreateTable
CREATE TABLE "catchment_hourly" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "answers" INTEGER NOT NULL,

    CONSTRAINT "catchment_hourly_pkey" PRIMARY KEY ("prefix_id","bucket","pop_id")
);

-- CreateTable
CREATE TABLE "rtt_hourly" (
    "bucket" TIMESTAMP(3) NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "region" TEXT NOT NULL,
    "rtt_ms" INTEGER NOT NULL,
    "answers" INTEGER NOT NULL,

    CONSTRAINT "rtt_hourly_pkey" PRIMARY KEY ("prefix_id","bucket","region","rtt_ms")
);

-- CreateTable
CREATE TABLE "catchment_flip" (
    "id" BIGSERIAL NOT NULL,
    "probe_id" INTEGER NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "from_pop_id" INTEGER NOT NULL,
    "to_pop_id" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "catchment_flip_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "catchment_flip_at_idx" ON "catchment_flip"("at");

-- CreateIndex
CREATE INDEX "catchment_flip_probe_id_at_idx" ON "catchment_flip"("probe_id", "at");

-- AddForeignKey
ALTER TABLE "catchment_flip" ADD CONSTRAINT "catchment_flip_probe_id_fkey" FOREIGN KEY ("probe_id") REFERENCES "probe"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Probe regions for probes stored before this migration (the app sets it from now on, from
-- lib/domain/regions.ts; this is that mapping as it stood).
UPDATE "probe" p SET "region" = m.region::"Region"
  FROM (VALUES
    ('AD', 'europe'),
    ('AE', 'middle_east'),
    ('AF', 'asia'),
    ('AG', 'north_america'),
    ('AI', 'north_america'),
    ('AL', 'europe'),
    ('AM', 'europe'),
    ('AO', 'africa'),
    ('AQ', 'oceania'),
    ('AR', 'south_america'),
    ('AS', 'oceania'),
    ('AT', 'europe'),
    ('AU', 'oceania'),
    ('AW', 'north_america'),
    ('AX', 'europe'),
    ('AZ', 'europe'),
    ('BA', 'europe'),
    ('BB', 'north_america'),
    ('BD', 'asia'),
    ('BE', 'europe'),
    ('BF', 'africa'),
    ('BG', 'europe'),
    ('BH', 'middle_east'),
    ('BI', 'africa'),
    ('BJ', 'africa'),
    ('BL', 'north_america'),
    ('BM', 'north_america'),
    ('BN', 'asia'),
    ('BO', 'south_america'),
    ('BQ', 'north_america'),
    ('BR', 'south_america'),
    ('BS', 'north_america'),
    ('BT', 'asia'),
    ('BV', 'africa'),
    ('BW', 'africa'),
    ('BY', 'europe'),
    ('BZ', 'north_america'),
    ('CA', 'north_america'),
    ('CC', 'oceania'),
    ('CD', 'africa'),
    ('CF', 'africa'),
    ('CG', 'africa'),
    ('CH', 'europe'),
    ('CI', 'africa'),
    ('CK', 'oceania'),
    ('CL', 'south_america'),
    ('CM', 'africa'),
    ('CN', 'asia'),
    ('CO', 'south_america'),
    ('CR', 'north_america'),
    ('CU', 'north_america'),
    ('CV', 'africa'),
    ('CW', 'north_america'),
    ('CX', 'oceania'),
    ('CY', 'europe'),
    ('CZ', 'europe'),
    ('DE', 'europe'),
    ('DJ', 'africa'),
    ('DK', 'europe'),
    ('DM', 'north_america'),
    ('DO', 'north_america'),
    ('DZ', 'africa'),
    ('EC', 'south_america'),
    ('EE', 'europe'),
    ('EG', 'africa'),
    ('EH', 'africa'),
    ('ER', 'africa'),
    ('ES', 'europe'),
    ('ET', 'africa'),
    ('FI', 'europe'),
    ('FJ', 'oceania'),
    ('FK', 'south_america'),
    ('FM', 'oceania'),
    ('FO', 'europe'),
    ('FR', 'europe'),
    ('GA', 'africa'),
    ('GB', 'europe'),
    ('GD', 'north_america'),
    ('GE', 'europe'),
    ('GF', 'south_america'),
    ('GG', 'europe'),
    ('GH', 'africa'),
    ('GI', 'europe'),
    ('GL', 'north_america'),
    ('GM', 'africa'),
    ('GN', 'africa'),
    ('GP', 'north_america'),
    ('GQ', 'africa'),
    ('GR', 'europe'),
    ('GS', 'south_america'),
    ('GT', 'north_america'),
    ('GU', 'oceania'),
    ('GW', 'africa'),
    ('GY', 'south_america'),
    ('HK', 'asia'),
    ('HM', 'oceania'),
    ('HN', 'north_america'),
    ('HR', 'europe'),
    ('HT', 'north_america'),
    ('HU', 'europe'),
    ('ID', 'asia'),
    ('IE', 'europe'),
    ('IL', 'middle_east'),
    ('IM', 'europe'),
    ('IN', 'asia'),
    ('IO', 'asia'),
    ('IQ', 'middle_east'),
    ('IR', 'middle_east'),
    ('IS', 'europe'),
    ('IT', 'europe'),
    ('JE', 'europe'),
    ('JM', 'north_america'),
    ('JO', 'middle_east'),
    ('JP', 'asia'),
    ('KE', 'africa'),
    ('KG', 'asia'),
    ('KH', 'asia'),
    ('KI', 'oceania'),
    ('KM', 'africa'),
    ('KN', 'north_america'),
    ('KP', 'asia'),
    ('KR', 'asia'),
    ('KW', 'middle_east'),
    ('KY', 'north_america'),
    ('KZ', 'asia'),
    ('LA', 'asia'),
    ('LB', 'middle_east'),
    ('LC', 'north_america'),
    ('LI', 'europe'),
    ('LK', 'asia'),
    ('LR', 'africa'),
    ('LS', 'africa'),
    ('LT', 'europe'),
    ('LU', 'europe'),
    ('LV', 'europe'),
    ('LY', 'africa'),
    ('MA', 'africa'),
    ('MC', 'europe'),
    ('MD', 'europe'),
    ('ME', 'europe'),
    ('MF', 'north_america'),
    ('MG', 'africa'),
    ('MH', 'oceania'),
    ('MK', 'europe'),
    ('ML', 'africa'),
    ('MM', 'asia'),
    ('MN', 'asia'),
    ('MO', 'asia'),
    ('MP', 'oceania'),
    ('MQ', 'north_america'),
    ('MR', 'africa'),
    ('MS', 'north_america'),
    ('MT', 'europe'),
    ('MU', 'africa'),
    ('MV', 'asia'),
    ('MW', 'africa'),
    ('MX', 'north_america'),
    ('MY', 'asia'),
    ('MZ', 'africa'),
    ('NA', 'africa'),
    ('NC', 'oceania'),
    ('NE', 'africa'),
    ('NF', 'oceania'),
    ('NG', 'africa'),
    ('NI', 'north_america'),
    ('NL', 'europe'),
    ('NO', 'europe'),
    ('NP', 'asia'),
    ('NR', 'oceania'),
    ('NU', 'oceania'),
    ('NZ', 'oceania'),
    ('OM', 'middle_east'),
    ('PA', 'north_america'),
    ('PE', 'south_america'),
    ('PF', 'oceania'),
    ('PG', 'oceania'),
    ('PH', 'asia'),
    ('PK', 'asia'),
    ('PL', 'europe'),
    ('PM', 'north_america'),
    ('PN', 'oceania'),
    ('PR', 'north_america'),
    ('PS', 'middle_east'),
    ('PT', 'europe'),
    ('PW', 'oceania'),
    ('PY', 'south_america'),
    ('QA', 'middle_east'),
    ('RE', 'africa'),
    ('RO', 'europe'),
    ('RS', 'europe'),
    ('RU', 'europe'),
    ('RW', 'africa'),
    ('SA', 'middle_east'),
    ('SB', 'oceania'),
    ('SC', 'africa'),
    ('SD', 'africa'),
    ('SE', 'europe'),
    ('SG', 'asia'),
    ('SH', 'africa'),
    ('SI', 'europe'),
    ('SJ', 'europe'),
    ('SK', 'europe'),
    ('SL', 'africa'),
    ('SM', 'europe'),
    ('SN', 'africa'),
    ('SO', 'africa'),
    ('SR', 'south_america'),
    ('SS', 'africa'),
    ('ST', 'africa'),
    ('SV', 'north_america'),
    ('SX', 'north_america'),
    ('SY', 'middle_east'),
    ('SZ', 'africa'),
    ('TC', 'north_america'),
    ('TD', 'africa'),
    ('TF', 'africa'),
    ('TG', 'africa'),
    ('TH', 'asia'),
    ('TJ', 'asia'),
    ('TK', 'oceania'),
    ('TL', 'asia'),
    ('TM', 'asia'),
    ('TN', 'africa'),
    ('TO', 'oceania'),
    ('TR', 'europe'),
    ('TT', 'north_america'),
    ('TV', 'oceania'),
    ('TW', 'asia'),
    ('TZ', 'africa'),
    ('UA', 'europe'),
    ('UG', 'africa'),
    ('UM', 'oceania'),
    ('US', 'north_america'),
    ('UY', 'south_america'),
    ('UZ', 'asia'),
    ('VA', 'europe'),
    ('VC', 'north_america'),
    ('VE', 'south_america'),
    ('VG', 'north_america'),
    ('VI', 'north_america'),
    ('VN', 'asia'),
    ('VU', 'oceania'),
    ('WF', 'oceania'),
    ('WS', 'oceania'),
    ('XK', 'europe'),
    ('YE', 'middle_east'),
    ('YT', 'africa'),
    ('ZA', 'africa'),
    ('ZM', 'africa'),
    ('ZW', 'africa')
  ) AS m(country, region)
 WHERE upper(p.country) = m.country;

-- The trigger on measurement now keeps, besides the current catchment: flips (a probe's
-- answer moving from one PoP to another, in time order), answers per hour and PoP, and
-- answers per hour, region and millisecond of RTT. One statement per INSERT or COPY.
CREATE OR REPLACE FUNCTION "current_catchment_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Flips first, against the current answer before this statement changes it. Only answers
  -- newer than the current one count (a late, older answer rewrites no history), and only
  -- answers matched to a PoP: A, then an unmatched answer, then B is one flip from A to B.
  WITH matched AS (
    SELECT probe_id, prefix_id, pop_id, measured_at FROM new_measurements WHERE pop_id IS NOT NULL
  ), sequence AS (
    SELECT m.probe_id, m.prefix_id, m.pop_id, m.measured_at, true AS is_new
      FROM matched m
      LEFT JOIN current_catchment c ON c.probe_id = m.probe_id AND c.prefix_id = m.prefix_id
     WHERE c.measured_at IS NULL OR m.measured_at > c.measured_at
    UNION ALL
    SELECT c.probe_id, c.prefix_id, c.pop_id, c.measured_at, false
      FROM current_catchment c
      JOIN (SELECT DISTINCT probe_id, prefix_id FROM matched) k ON k.probe_id = c.probe_id AND k.prefix_id = c.prefix_id
     WHERE c.pop_id IS NOT NULL
  ), ordered AS (
    SELECT *, lag(pop_id) OVER (PARTITION BY probe_id, prefix_id ORDER BY measured_at, is_new) AS previous_pop_id FROM sequence
  )
  INSERT INTO catchment_flip (probe_id, prefix_id, from_pop_id, to_pop_id, at)
  SELECT probe_id, prefix_id, previous_pop_id, pop_id, measured_at
    FROM ordered
   WHERE is_new AND previous_pop_id IS NOT NULL AND pop_id <> previous_pop_id;

  INSERT INTO current_catchment (probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at)
  SELECT DISTINCT ON (probe_id, prefix_id) probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at
    FROM new_measurements
   ORDER BY probe_id, prefix_id, measured_at DESC
  ON CONFLICT (probe_id, prefix_id) DO UPDATE
     SET pop_id = EXCLUDED.pop_id, answer = EXCLUDED.answer, rtt_ms = EXCLUDED.rtt_ms, measured_at = EXCLUDED.measured_at
   WHERE current_catchment.measured_at <= EXCLUDED.measured_at;

  INSERT INTO catchment_hourly (bucket, prefix_id, pop_id, answers)
  SELECT date_trunc('hour', measured_at), prefix_id, pop_id, count(*)
    FROM new_measurements
   WHERE pop_id IS NOT NULL
   GROUP BY 1, 2, 3
  ON CONFLICT (prefix_id, bucket, pop_id) DO UPDATE SET answers = catchment_hourly.answers + EXCLUDED.answers;

  INSERT INTO rtt_hourly (bucket, prefix_id, region, rtt_ms, answers)
  SELECT date_trunc('hour', n.measured_at), n.prefix_id, coalesce(p.region::text, 'unknown'), least(floor(n.rtt_ms), 100000)::int, count(*)
    FROM new_measurements n
    JOIN probe p ON p.id = n.probe_id
   WHERE n.rtt_ms IS NOT NULL
   GROUP BY 1, 2, 3, 4
  ON CONFLICT (prefix_id, bucket, region, rtt_ms) DO UPDATE SET answers = rtt_hourly.answers + EXCLUDED.answers;
  RETURN NULL;
END;
$$;

-- Measurements stored before this migration.
INSERT INTO catchment_flip (probe_id, prefix_id, from_pop_id, to_pop_id, at)
SELECT probe_id, prefix_id, previous_pop_id, pop_id, measured_at FROM (
  SELECT probe_id, prefix_id, pop_id, measured_at,
         lag(pop_id) OVER (PARTITION BY probe_id, prefix_id ORDER BY measured_at) AS previous_pop_id
    FROM measurement WHERE pop_id IS NOT NULL
) ordered
WHERE previous_pop_id IS NOT NULL AND pop_id <> previous_pop_id;

INSERT INTO catchment_hourly (bucket, prefix_id, pop_id, answers)
SELECT date_trunc('hour', measured_at), prefix_id, pop_id, count(*) FROM measurement WHERE pop_id IS NOT NULL GROUP BY 1, 2, 3;

INSERT INTO rtt_hourly (bucket, prefix_id, region, rtt_ms, answers)
SELECT date_trunc('hour', m.measured_at), m.prefix_id, coalesce(p.region::text, 'unknown'), least(floor(m.rtt_ms), 100000)::int, count(*)
  FROM measurement m JOIN probe p ON p.id = m.probe_id
 WHERE m.rtt_ms IS NOT NULL
 GROUP BY 1, 2, 3, 4;
