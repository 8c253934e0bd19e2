// The browser's reads of the console's API: one TanStack Query hook per resource, each with its
// address, its query key and its response type (responses.ts) in one place. Components call
// these instead of fetching; fetchJson turns an error answer into the message the route wrote.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchCatchment, type MapScope } from "./catchment-read";
import { fetchJson } from "./fetch-json";
import type { CatchmentHistoryResponse, CatchmentResponse, CitiesResponse, OperationPreviewResponse, TrafficResponse } from "./responses";

/** The catchment map of a prefix or service, live (polled every `refreshMs`) or at a past time, which does not change. */
export function useCatchment(scope: MapScope, at: string | null, refreshMs: number) {
  return useQuery<CatchmentResponse>({
    queryKey: ["catchment", scope.kind, scope.value, at],
    queryFn: ({ signal }) => fetchCatchment(scope, at, signal),
    refetchInterval: at === null ? refreshMs : false,
    refetchIntervalInBackground: true,
    placeholderData: keepPreviousData,
  });
}

/** The catchment over the last day (`query`: the page's `?prefix=` or `?service=`), starting from what the page rendered. */
export function useCatchmentHistory(query: string, initial: CatchmentHistoryResponse, refreshMs: number) {
  return useQuery<CatchmentHistoryResponse>({
    queryKey: ["catchment-history", query],
    queryFn: ({ signal }) => fetchJson(`/api/v1/catchment/history${query}`, { signal }),
    initialData: initial,
    refetchInterval: refreshMs,
  });
}

/** Traffic against capacity over the last 24 hours, for the fleet or one PoP. */
export function useTraffic(pop: string | undefined, refreshMs: number) {
  return useQuery<TrafficResponse>({
    queryKey: ["traffic", pop ?? "fleet"],
    queryFn: ({ signal }) => fetchJson(`/api/v1/traffic${pop ? `?pop=${encodeURIComponent(pop)}` : ""}`, { signal }),
    refetchInterval: refreshMs,
  });
}

export type PreviewRequest = { kind: "drain" | "withdraw" | "restore"; popCodes: string; prefixIds: string; prependCount: number };

/** What a drain, withdraw or restore would do: asked again whenever the request changes, never served from an old answer. */
export function useOperationPreview(request: PreviewRequest) {
  return useQuery<OperationPreviewResponse>({
    queryKey: ["operation-preview", request.kind, request.popCodes, request.prefixIds, request.prependCount],
    queryFn: ({ signal }) =>
      fetchJson(`/api/v1/operations/preview?${new URLSearchParams({ kind: request.kind, popCodes: request.popCodes, prefixIds: request.prefixIds, prependCount: String(request.prependCount) })}`, { signal }),
    staleTime: 0,
  });
}

/** Cities of the dataset matching what was typed (two letters or more). */
export function useCitySearch(query: string, limit = 8) {
  return useQuery<CitiesResponse>({
    queryKey: ["placement-cities", query, limit],
    queryFn: ({ signal }) => fetchJson(`/api/v1/placement/cities?q=${encodeURIComponent(query)}&limit=${limit}`, { signal }),
    enabled: query.length >= 2,
    staleTime: Infinity,
  });
}
