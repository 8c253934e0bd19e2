export function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul aria-label="Warnings" aria-live="polite" className="space-y-1 rounded-md border border-warn/40 bg-warn/10 p-3 text-sm text-warn">
      {warnings.map((warning) => (
        <li key={warning}>Warning: {warning}</li>
      ))}
    </ul>
  );
}
