-- CreateTable
CREATE TABLE "slurm_filter" (
    "id" SERIAL NOT NULL,
    "prefix" TEXT,
    "asn" BIGINT,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slurm_filter_pkey" PRIMARY KEY ("id")
);
