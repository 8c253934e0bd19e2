-- AlterTable
ALTER TABLE "pop" ADD COLUMN     "agent_maintenance" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "agent_maintenance_reason" TEXT,
ADD COLUMN     "agent_maintenance_since" TIMESTAMP(3);
