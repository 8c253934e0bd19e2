import type { Metadata } from "next";
import { RoaForm } from "@/components/rpki/roa-form";
import { PageHeader } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { createRoaAction } from "../actions";

export const metadata: Metadata = { title: "New ROA" };

export default async function NewRoaPage() {
  await requireUser("admin");
  return (
    <>
      <PageHeader title="New ROA" subtitle="A ROA typed here has source manual: imports never replace it. Publish the same ROA at your RIR or CA so the internet sees it too." />
      <RoaForm action={createRoaAction} values={{ prefix: "", asn: "", maxLength: "", expiresAt: "" }} />
    </>
  );
}
