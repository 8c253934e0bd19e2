import Link from "next/link";
import { Empty } from "@/components/ui/panel";
import { buttonClass } from "@/components/ui/button";
import { DataTable } from "@/components/ui/table";
import { formatUtc } from "@/lib/domain/format";
import type { ScenarioSummary } from "@/lib/server/placement/scenarios";

const COLUMNS = [{ label: "Scenario" }, { label: "Author" }, { label: "Changed" }, { label: "Notes" }];

export function ScenarioList({ scenarios }: { scenarios: ScenarioSummary[] }) {
  if (scenarios.length === 0) return <Empty>No scenarios yet.</Empty>;
  const select = (name: string, label: string, chosen: number) => (
    <label className="text-sm">
      {label}
      <select name={name} defaultValue={scenarios[Math.min(chosen, scenarios.length - 1)]!.id} className="mt-1 block max-w-56 rounded-md border border-line bg-canvas px-2 py-1.5 text-sm">
        {scenarios.map((scenario) => (
          <option key={scenario.id} value={scenario.id}>
            {scenario.name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="grid gap-4">
      {scenarios.length > 1 && (
        <form action="/placement/compare" aria-label="Compare two scenarios" className="flex flex-wrap items-end gap-3">
          {select("a", "Scenario", 0)}
          {select("b", "against", 1)}
          <button type="submit" className={buttonClass("secondary")}>
            Compare side by side
          </button>
        </form>
      )}
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
    </div>
  );
}
