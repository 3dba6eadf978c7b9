import { type ApolloServerPlugin } from "@apollo/server";

export interface RequestObserver {
  requestFinished(
    operationName: string | null | undefined,
    outcome: "ok" | "user_error" | "error",
    seconds: number,
  ): void;
}

/** Times every GraphQL request and reports it with its operation name and outcome. */
export function requestMetricsPlugin<TContext extends object>(observer: RequestObserver): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const payloads = Object.values((body?.data ?? {}) as Record<string, { userErrors?: unknown[] } | null>);
          const outcome = body?.errors?.length
            ? "error"
            : payloads.some((p) => p?.userErrors?.length)
              ? "user_error"
              : "ok";
          observer.requestFinished(operationName, outcome, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
