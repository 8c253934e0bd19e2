import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PrefixForm } from "@/components/prefixes/prefix-form";
import { PageHeader } from "@/components/ui/panel";
import { parseRecordId } from "@/lib/domain/record-id";
import { requireUser } from "@/lib/server/auth/require-user";
import { getPrefixForEdit } from "@/lib/server/prefixes/get-prefix-for-edit";
import { updatePrefixAction } from "../../actions";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Edit prefix" };

type Props = { params: Promise<{ id: string }> };

export default async function EditPrefixPage({ params }: Props) {
  const { id } = await params;
  await requireUser("admin");
  const prefixId = parseRecordId(id);
  const prefix = prefixId === null ? null : await getPrefixForEdit(db, prefixId);
  if (!prefix) notFound();
  return (
    <>
      <PageHeader title={<span className="font-mono">Edit {prefix.cidr}</span>} />
      <PrefixForm
        action={updatePrefixAction}
        values={{ id: prefix.id, cidr: prefix.cidr, originAsn: `AS${prefix.originAsn}`, service: prefix.service, description: prefix.description, safetyFloor: String(prefix.safetyFloor) }}
      />
    </>
  );
}
