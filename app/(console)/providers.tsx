"use client";

import { QueryClient, QueryClientProvider, notifyManager } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

// A query's new data reaches React in the same task that received it, not in a task of its own
// (TanStack Query's default, setTimeout 0): such a task waits behind every frame already due,
// and a frame of the map with software WebGL takes hundreds of ms. React batches the updates.
if (typeof window !== "undefined") notifyManager.setScheduler(queueMicrotask);

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: true } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
