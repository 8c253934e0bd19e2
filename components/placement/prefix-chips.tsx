import Link from "next/link";

/** The prefix a placement view is about, one chip per prefix; `hrefOf` gives each chip's address. */
export function PrefixChips({ prefixes, current, hrefOf }: { prefixes: { id: number; cidr: string; service: string }[]; current: number | undefined; hrefOf: (prefixId: number) => string }) {
  return (
    <nav aria-label="Prefix" data-print="hide" className="mb-3 flex flex-wrap gap-2">
      {prefixes.map((choice) => (
        <Link
          key={choice.id}
          href={hrefOf(choice.id)}
          aria-current={choice.id === current ? "page" : undefined}
          className={`rounded border px-2 py-1 text-xs ${choice.id === current ? "border-accent text-accent" : "border-line text-muted hover:text-ink"}`}
        >
          {choice.cidr} <span className="text-muted">({choice.service})</span>
        </Link>
      ))}
    </nav>
  );
}
