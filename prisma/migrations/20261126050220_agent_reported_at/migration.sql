-- AlterTable
ALTER TABLE "pop" ADD COLUMN     "agent_reported_at" TIMESTAMP(3);
