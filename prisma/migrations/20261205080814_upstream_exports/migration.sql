-- AlterTable
ALTER TABLE "upstream" ADD COLUMN     "exports" JSONB;
