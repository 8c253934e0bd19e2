-- CreateTable
CREATE TABLE "aspa" (
    "id" SERIAL NOT NULL,
    "customer_asn" BIGINT NOT NULL,
    "provider_asns" BIGINT[],
    "afi" TEXT,
    "ta" TEXT,
    "source" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "aspa_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "aspa_customer_asn_idx" ON "aspa"("customer_asn");

-- CreateIndex
CREATE INDEX "aspa_source_idx" ON "aspa"("source");
