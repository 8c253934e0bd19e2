import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

const CONTROL =
  "mt-1 block w-full rounded-md border border-line bg-canvas px-3 py-2 text-sm text-ink placeholder:text-muted/60 focus:border-accent focus:outline-none aria-[invalid=true]:border-bad";

type FieldProps = { label: string; name: string; errors?: string[]; hint?: ReactNode };

function FieldFrame({ label, name, errors, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && !errors?.length && <p className="mt-1 text-xs text-muted">{hint}</p>}
      <FieldErrors id={`${name}-error`} errors={errors} />
    </div>
  );
}

/**
 * The server's messages for a field or a group of them, announced as they change. `id` is
 * what the control's aria-describedby names.
 */
export function FieldErrors({ id, errors, className = "mt-1 text-xs" }: { id: string; errors?: string[]; className?: string }) {
  return (
    <div id={id} aria-live="polite">
      {errors?.map((error) => (
        <p key={error} className={`${className} text-bad`}>
          {error}
        </p>
      ))}
    </div>
  );
}

export function TextField({ label, name, errors, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} name={name} errors={errors} hint={hint}>
      <input id={name} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={`${name}-error`} className={CONTROL} {...input} />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  options,
  ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <FieldFrame label={label} name={name} errors={errors} hint={hint}>
      <select id={name} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={`${name}-error`} className={CONTROL} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function FormMessage({ state }: { state: { status: string; message?: string } }) {
  return (
    <div aria-live="polite" role="status" className="min-h-5 text-sm">
      {state.status === "error" && <p className="text-bad">{state.message}</p>}
      {state.status === "ok" && <p className="text-ok">{state.message}</p>}
    </div>
  );
}
