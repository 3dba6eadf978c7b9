import { type TestApp } from "./test-app";
import { sleep } from "./time";

export interface HealthAnswer {
  readonly status: number;
  readonly body: { status: string; checks?: { name: string; ok: boolean; detail?: string }[] };
}

/**
 * GETs /healthz or /readyz of a test app. With `settled`, /readyz is asked again (for up to 10 s) until it answers
 * 200: a fresh app may report not ready while it connects to Redis.
 */
export async function readiness(
  t: TestApp,
  path: "/healthz" | "/readyz",
  { settled = false } = {},
): Promise<HealthAnswer> {
  const get = async () => {
    const response = await fetch(t.app.address.replace("/graphql", path));
    return { status: response.status, body: (await response.json()) as HealthAnswer["body"] };
  };
  const deadline = Date.now() + 10_000;
  let answer = await get();
  while (settled && answer.status !== 200 && Date.now() < deadline) {
    await sleep(200);
    answer = await get();
  }
  return answer;
}
