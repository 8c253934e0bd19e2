import type { Metadata } from "next";
import { PrefixForm } from "@/components/prefixes/prefix-form";
import { PageHeader } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { createPrefixAction } from "../actions";

export const metadata: Metadata = { title: "New prefix" };

export default async function NewPrefixPage() {
  await requireUser("admin");
  return (
    <>
      <PageHeader title="New prefix" subtitle="An anycast prefix and the AS that originates it. Its RPKI validity shows as soon as it is saved." />
      <PrefixForm action={createPrefixAction} values={{ cidr: "", originAsn: "", service: "", description: "", safetyFloor: "1" }} />
    </>
  );
}
