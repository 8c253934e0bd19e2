import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RoaForm } from "@/components/rpki/roa-form";
import { DeleteForm } from "@/components/ui/delete-form";
import { PageHeader, Panel } from "@/components/ui/panel";
import { parseRecordId } from "@/lib/domain/record-id";
import { requireUser } from "@/lib/server/auth/require-user";
import { getManualRoa } from "@/lib/server/rpki/get-roa";
import { deleteRoaAction, updateRoaAction } from "../../actions";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Edit ROA" };

type Props = { params: Promise<{ id: string }> };

export default async function EditRoaPage({ params }: Props) {
  const { id } = await params;
  await requireUser("admin");
  const roaId = parseRecordId(id);
  const roa = roaId === null ? null : await getManualRoa(db, roaId);
  if (!roa) notFound();
  return (
    <>
      <PageHeader title={<span className="font-mono">ROA {roa.prefix}</span>} subtitle="A manual ROA. Imported ROAs change only by import." />
      <RoaForm
        action={updateRoaAction}
        values={{ id: roa.id, prefix: roa.prefix, asn: `AS${roa.asn}`, maxLength: String(roa.maxLength), expiresAt: roa.expiresAt?.toISOString().slice(0, 10) ?? "" }}
      />
      <Panel title="Delete" className="mt-6">
        <DeleteForm action={deleteRoaAction} id={roa.id} label="Delete ROA" confirm={`Delete the ROA ${roa.prefix}-${roa.maxLength} AS${roa.asn}? Routes it validates may become invalid.`} />
      </Panel>
    </>
  );
}
