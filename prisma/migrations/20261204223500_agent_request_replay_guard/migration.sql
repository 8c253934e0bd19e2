-- CreateTable
CREATE TABLE "agent_request_seen" (
    "signature" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_request_seen_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "agent_request_seen_expires_at_idx" ON "agent_request_seen"("expires_at");
