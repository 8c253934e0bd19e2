-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "Region" AS ENUM ('africa', 'asia', 'europe', 'middle_east', 'north_america', 'oceania', 'south_america');

-- CreateEnum
CREATE TYPE "PopStatus" AS ENUM ('active', 'maintenance', 'decommissioned');

-- CreateEnum
CREATE TYPE "UpstreamKind" AS ENUM ('transit', 'peering', 'ix');

-- CreateEnum
CREATE TYPE "BgpState" AS ENUM ('idle', 'connect', 'active', 'opensent', 'openconfirm', 'established', 'unknown');

-- CreateEnum
CREATE TYPE "AnnouncementState" AS ENUM ('announced', 'drained', 'withdrawn');

-- CreateEnum
CREATE TYPE "AgentHealth" AS ENUM ('unknown', 'ok', 'stale', 'unreachable');

-- CreateEnum
CREATE TYPE "HealthCheckKind" AS ENUM ('dns', 'http', 'tcp');

-- CreateEnum
CREATE TYPE "HealthState" AS ENUM ('unknown', 'up', 'rising', 'falling', 'down');

-- CreateEnum
CREATE TYPE "ProbeSource" AS ENUM ('atlas', 'lab', 'simulated', 'upload');

-- CreateEnum
CREATE TYPE "OperationKind" AS ENUM ('drain', 'withdraw', 'restore');

-- CreateEnum
CREATE TYPE "OperationStatus" AS ENUM ('refused', 'running', 'succeeded', 'partial', 'failed');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "pop" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "region" "Region" NOT NULL,
    "capacity_gbps" INTEGER NOT NULL,
    "status" "PopStatus" NOT NULL DEFAULT 'active',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "identities" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "agent_url" TEXT,
    "agent_secret" TEXT,
    "agent_health" "AgentHealth" NOT NULL DEFAULT 'unknown',
    "agent_seen_at" TIMESTAMP(3),
    "agent_error" TEXT,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "pop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upstream" (
    "id" SERIAL NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "UpstreamKind" NOT NULL DEFAULT 'transit',
    "peer_asn" BIGINT NOT NULL,
    "peer_address" TEXT NOT NULL,
    "state" "BgpState" NOT NULL DEFAULT 'unknown',
    "state_since" TIMESTAMP(3),
    "prefixes_sent" INTEGER,
    "prefixes_received" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "upstream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prefix" (
    "id" SERIAL NOT NULL,
    "cidr" TEXT NOT NULL,
    "family" INTEGER NOT NULL,
    "length" INTEGER NOT NULL,
    "origin_asn" BIGINT NOT NULL,
    "service" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "safety_floor" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "prefix_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roa" (
    "id" SERIAL NOT NULL,
    "prefix" TEXT NOT NULL,
    "family" INTEGER NOT NULL,
    "length" INTEGER NOT NULL,
    "max_length" INTEGER NOT NULL,
    "asn" BIGINT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "roa_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "announcement" (
    "id" SERIAL NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "desired_state" "AnnouncementState" NOT NULL DEFAULT 'announced',
    "prepend_count" INTEGER NOT NULL DEFAULT 0,
    "communities" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT NOT NULL DEFAULT '',
    "desired_since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "observed_state" "AnnouncementState",
    "observed_prepend" INTEGER,
    "observed_at" TIMESTAMP(3),
    "operation_id" TEXT,

    CONSTRAINT "announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_check" (
    "id" SERIAL NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "kind" "HealthCheckKind" NOT NULL,
    "target" TEXT NOT NULL,
    "interval_ms" INTEGER NOT NULL DEFAULT 10000,
    "timeout_ms" INTEGER NOT NULL DEFAULT 2000,
    "rise" INTEGER NOT NULL DEFAULT 2,
    "fall" INTEGER NOT NULL DEFAULT 2,
    "state" "HealthState" NOT NULL DEFAULT 'unknown',
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checked_at" TIMESTAMP(3),
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "health_check_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_event" (
    "id" BIGSERIAL NOT NULL,
    "health_check_id" INTEGER NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "from_state" "HealthState" NOT NULL,
    "to_state" "HealthState" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "health_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "probe" (
    "id" SERIAL NOT NULL,
    "source" "ProbeSource" NOT NULL,
    "external_id" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "country" CHAR(2) NOT NULL,
    "city" TEXT,
    "asn_v4" BIGINT,
    "asn_v6" BIGINT,
    "address_v4" TEXT,
    "address_v6" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "probe_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measurement" (
    "id" BIGSERIAL NOT NULL,
    "probe_id" INTEGER NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "pop_id" INTEGER,
    "answer" TEXT NOT NULL,
    "rtt_ms" DOUBLE PRECISION,
    "measured_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "measurement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "traffic_sample" (
    "id" BIGSERIAL NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "bps" DOUBLE PRECISION NOT NULL,
    "pps" DOUBLE PRECISION NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "traffic_sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operation" (
    "id" TEXT NOT NULL,
    "kind" "OperationKind" NOT NULL,
    "status" "OperationStatus" NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "prefix_id" INTEGER,
    "prepend_count" INTEGER,
    "reason" TEXT NOT NULL,
    "ticket" TEXT,
    "requested_by_id" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "verdict" JSONB NOT NULL,
    "override_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operation_step" (
    "id" SERIAL NOT NULL,
    "operation_id" TEXT NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "target_state" "AnnouncementState" NOT NULL,
    "prepend_count" INTEGER NOT NULL DEFAULT 0,
    "status" "StepStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "operation_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdraw_lease" (
    "id" TEXT NOT NULL,
    "pop_id" INTEGER NOT NULL,
    "prefix_id" INTEGER NOT NULL,
    "granted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "released_at" TIMESTAMP(3),

    CONSTRAINT "withdraw_lease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "pop_id" INTEGER,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "ip" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "password_hash" TEXT,
    "oidc_subject" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMP(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "token_start" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "last_failure_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "pop_code_key" ON "pop"("code");

-- CreateIndex
CREATE INDEX "pop_region_idx" ON "pop"("region");

-- CreateIndex
CREATE INDEX "pop_status_idx" ON "pop"("status");

-- CreateIndex
CREATE UNIQUE INDEX "upstream_pop_id_peer_address_key" ON "upstream"("pop_id", "peer_address");

-- CreateIndex
CREATE UNIQUE INDEX "prefix_cidr_key" ON "prefix"("cidr");

-- CreateIndex
CREATE INDEX "prefix_service_idx" ON "prefix"("service");

-- CreateIndex
CREATE INDEX "roa_family_length_idx" ON "roa"("family", "length");

-- CreateIndex
CREATE UNIQUE INDEX "roa_prefix_max_length_asn_source_key" ON "roa"("prefix", "max_length", "asn", "source");

-- CreateIndex
CREATE INDEX "announcement_prefix_id_idx" ON "announcement"("prefix_id");

-- CreateIndex
CREATE UNIQUE INDEX "announcement_pop_id_prefix_id_key" ON "announcement"("pop_id", "prefix_id");

-- CreateIndex
CREATE UNIQUE INDEX "health_check_pop_id_name_key" ON "health_check"("pop_id", "name");

-- CreateIndex
CREATE INDEX "health_event_pop_id_at_idx" ON "health_event"("pop_id", "at");

-- CreateIndex
CREATE INDEX "probe_address_v4_idx" ON "probe"("address_v4");

-- CreateIndex
CREATE INDEX "probe_address_v6_idx" ON "probe"("address_v6");

-- CreateIndex
CREATE UNIQUE INDEX "probe_source_external_id_key" ON "probe"("source", "external_id");

-- CreateIndex
CREATE INDEX "measurement_prefix_id_measured_at_idx" ON "measurement"("prefix_id", "measured_at");

-- CreateIndex
CREATE INDEX "measurement_pop_id_measured_at_idx" ON "measurement"("pop_id", "measured_at");

-- CreateIndex
CREATE UNIQUE INDEX "measurement_probe_id_prefix_id_measured_at_key" ON "measurement"("probe_id", "prefix_id", "measured_at");

-- CreateIndex
CREATE INDEX "traffic_sample_at_idx" ON "traffic_sample"("at");

-- CreateIndex
CREATE UNIQUE INDEX "traffic_sample_pop_id_at_key" ON "traffic_sample"("pop_id", "at");

-- CreateIndex
CREATE INDEX "operation_pop_id_created_at_idx" ON "operation"("pop_id", "created_at");

-- CreateIndex
CREATE INDEX "operation_created_at_idx" ON "operation"("created_at");

-- CreateIndex
CREATE INDEX "operation_step_operation_id_idx" ON "operation_step"("operation_id");

-- CreateIndex
CREATE INDEX "withdraw_lease_prefix_id_expires_at_idx" ON "withdraw_lease"("prefix_id", "expires_at");

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at");

-- CreateIndex
CREATE INDEX "audit_event_pop_id_at_idx" ON "audit_event"("pop_id", "at");

-- CreateIndex
CREATE INDEX "audit_event_actor_id_at_idx" ON "audit_event"("actor_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_username_key" ON "app_user"("username");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_oidc_subject_key" ON "app_user"("oidc_subject");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- AddForeignKey
ALTER TABLE "upstream" ADD CONSTRAINT "upstream_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "announcement" ADD CONSTRAINT "announcement_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "announcement" ADD CONSTRAINT "announcement_prefix_id_fkey" FOREIGN KEY ("prefix_id") REFERENCES "prefix"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "announcement" ADD CONSTRAINT "announcement_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_check" ADD CONSTRAINT "health_check_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_event" ADD CONSTRAINT "health_event_health_check_id_fkey" FOREIGN KEY ("health_check_id") REFERENCES "health_check"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_event" ADD CONSTRAINT "health_event_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measurement" ADD CONSTRAINT "measurement_probe_id_fkey" FOREIGN KEY ("probe_id") REFERENCES "probe"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measurement" ADD CONSTRAINT "measurement_prefix_id_fkey" FOREIGN KEY ("prefix_id") REFERENCES "prefix"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measurement" ADD CONSTRAINT "measurement_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traffic_sample" ADD CONSTRAINT "traffic_sample_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation" ADD CONSTRAINT "operation_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation" ADD CONSTRAINT "operation_prefix_id_fkey" FOREIGN KEY ("prefix_id") REFERENCES "prefix"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation" ADD CONSTRAINT "operation_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation_step" ADD CONSTRAINT "operation_step_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation_step" ADD CONSTRAINT "operation_step_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation_step" ADD CONSTRAINT "operation_step_prefix_id_fkey" FOREIGN KEY ("prefix_id") REFERENCES "prefix"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdraw_lease" ADD CONSTRAINT "withdraw_lease_pop_id_fkey" FOREIGN KEY ("pop_id") REFERENCES "pop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "withdraw_lease" ADD CONSTRAINT "withdraw_lease_prefix_id_fkey" FOREIGN KEY ("prefix_id") REFERENCES "prefix"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log is append-only in the database itself, not just in the app:
-- no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_event_no_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "audit_event_no_truncate"
  BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
