-- AlterTable
ALTER TABLE "operation" ALTER COLUMN "pop_id" DROP NOT NULL;
