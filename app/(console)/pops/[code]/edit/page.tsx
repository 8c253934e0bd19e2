import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PopForm } from "@/components/pops/pop-form";
import { DeleteForm } from "@/components/ui/delete-form";
import { PageHeader, Panel } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { getPopForEdit } from "@/lib/server/pops/get-pop-for-edit";
import { decommissionPopAction, deletePopAction, updatePopAction } from "../../actions";
import { db } from "@/lib/server/db/client";

type Props = { params: Promise<{ code: string }> };

export const metadata: Metadata = { title: "Edit PoP" };

export default async function EditPopPage({ params }: Props) {
  const { code } = await params;
  await requireUser("admin");
  const values = await getPopForEdit(db, code);
  if (!values) notFound();
  const { history } = values;
  return (
    <>
      <PageHeader title={`Edit ${values.code}`} subtitle="Every change is recorded in the audit log." />
      <PopForm mode="edit" action={updatePopAction} values={values} />
      <Panel title={history.length === 0 ? "Delete PoP" : "Decommission PoP"} className="mt-6">
        {history.length === 0 ? (
          <div className="space-y-3 text-sm">
            <p>{values.code} has never announced anything: no operation, measurement, traffic or announced prefix. Deleting it removes it, its upstreams and its withdrawn assignments; the audit log keeps a record.</p>
            <DeleteForm action={deletePopAction} id={values.code} label="Delete PoP" confirm={`Delete ${values.code}? This cannot be undone.`} />
          </div>
        ) : (
          <div className="space-y-3 text-sm">
            <p>
              {values.code} cannot be deleted: {history.join("; ")}. Deleting it would erase that history. Decommission it instead: it keeps its history, and the console stops
              polling its agent. Withdraw its prefixes first if it still announces them.
            </p>
            {values.status === "decommissioned" ? (
              <p className="text-muted">{values.code} is decommissioned.</p>
            ) : (
              <DeleteForm action={decommissionPopAction} id={values.code} label="Decommission PoP" pendingLabel="Decommissioning…" confirm={`Decommission ${values.code}?`} />
            )}
          </div>
        )}
      </Panel>
    </>
  );
}
