import Link from "next/link";
import { Empty } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatUtc } from "@/lib/domain/format";
import type { ScenarioSummary } from "@/lib/server/placement/scenarios";

const COLUMNS = [{ label: "Scenario" }, { label: "Author" }, { label: "Changed" }, { label: "Notes" }];

export function ScenarioList({ scenarios }: { scenarios: ScenarioSummary[] }) {
  if (scenarios.length === 0) return <Empty>No scenarios yet.</Empty>;
  return (
    <DataTable columns={COLUMNS} label="Placement scenarios" minWidth="min-w-[32rem]">
      {scenarios.map((scenario) => (
        <tr key={scenario.id}>
          <td className="py-1.5 pr-3">
            <Link href={`/placement/scenarios/${scenario.id}`} className="font-medium hover:text-accent">
              {scenario.name}
            </Link>
          </td>
          <td className="py-1.5 pr-3">{scenario.authorName}</td>
          <td className="py-1.5 pr-3 whitespace-nowrap">{formatUtc(scenario.updatedAt)}</td>
          <td className="max-w-xs truncate py-1.5 pr-3 text-muted" title={scenario.notes}>
            {scenario.notes}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
