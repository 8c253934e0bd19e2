-- AlterTable
ALTER TABLE "operation" ADD COLUMN     "accuracy" JSONB,
ADD COLUMN     "prediction" JSONB;
