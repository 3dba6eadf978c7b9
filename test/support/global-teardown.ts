export default async function globalTeardown(): Promise<void> {
  const running = globalThis as { testRunServices?: { stop(): Promise<void> }[] };
  for (const service of running.testRunServices?.reverse() ?? []) await service.stop();
}
