import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PopForm } from "@/components/pops/pop-form";
import { PageHeader } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { getPopForEdit } from "@/lib/server/pops/get-pop-for-edit";
import { updatePopAction } from "../../actions";

type Props = { params: Promise<{ code: string }> };

export const metadata: Metadata = { title: "Edit PoP" };

export default async function EditPopPage({ params }: Props) {
  const { code } = await params;
  await requireUser("admin");
  const values = await getPopForEdit(code);
  if (!values) notFound();
  return (
    <>
      <PageHeader title={`Edit ${values.code}`} subtitle="Every change is recorded in the audit log." />
      <PopForm mode="edit" action={updatePopAction} values={values} />
    </>
  );
}
