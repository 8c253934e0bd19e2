import type { ReactNode } from "react";

export type Column = { label: string; align?: "right" };

/**
 * A data table: header row from `columns`, rows as children. `framed` for a page-level
 * table (border, header band); plain inside a Panel. Scrolls sideways on a phone.
 */
export function DataTable({ columns, children, framed = false, minWidth = "", label }: { columns: Column[]; children: ReactNode; framed?: boolean; minWidth?: string; label?: string }) {
  return (
    <div className={framed ? "overflow-x-auto rounded-lg border border-line" : "overflow-x-auto"}>
      <table aria-label={label} className={`w-full text-sm ${minWidth}`}>
        <thead className={`text-left text-xs text-muted uppercase ${framed ? "bg-panel" : ""}`}>
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`${framed ? "px-3 py-2" : "py-1.5 pr-3"} font-medium ${column.align === "right" ? "text-right" : ""}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}
