-- AlterTable
ALTER TABLE "probe" ALTER COLUMN "country" DROP NOT NULL;
