import type { Metadata } from "next";
import { PopForm } from "@/components/pops/pop-form";
import { PageHeader } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { createPopAction } from "../actions";

export const metadata: Metadata = { title: "New PoP" };

export default async function NewPopPage() {
  await requireUser("admin");
  return (
    <>
      <PageHeader title="New PoP" subtitle="Add a PoP to the inventory. Then assign it prefixes on its page: they start withdrawn, and an operator announces them with Restore…." />
      <PopForm
        mode="create"
        action={createPopAction}
        values={{
          code: "", name: "", city: "", country: "", latitude: "", longitude: "", region: "", capacityGbps: "",
          status: "active", agentUrl: "", identities: "", hasAgentSecret: false,
          upstreams: [{ name: "", kind: "transit", peerAsn: "", peerAddress: "" }],
        }}
      />
    </>
  );
}
