export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-accent text-canvas hover:bg-accent/90",
  secondary: "border border-line bg-panel-2 text-ink hover:border-accent/60",
  danger: "bg-bad text-white hover:bg-bad/90",
  ghost: "text-muted hover:text-ink",
};

/** Class names for a button or a link styled as one. */
export function buttonClass(variant: ButtonVariant = "secondary", extra = ""): string {
  return `inline-flex min-h-9 items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${extra}`;
}
