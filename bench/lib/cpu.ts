import { request } from "undici";

/**
 * CPU seconds used during a scenario by the load generator (this process) and by the API (its Prometheus
 * `process_cpu_seconds_total`): on a machine where both share the cores, this says which side a latency came from.
 */
export async function cpuMeter(metricsUrl: string) {
  const apiCpu = async () => {
    try {
      const response = await request(metricsUrl);
      const match = /^process_cpu_seconds_total (\S+)$/m.exec(await response.body.text());
      return match ? Number(match[1]) : NaN;
    } catch {
      return NaN;
    }
  };
  const startApi = await apiCpu();
  const start = process.cpuUsage();
  const startedAt = performance.now();
  return {
    async read() {
      const own = process.cpuUsage(start);
      const api = (await apiCpu()) - startApi;
      const round = (n: number) => Math.round(n * 10) / 10;
      return {
        wallSeconds: round((performance.now() - startedAt) / 1000),
        loadGeneratorCpuSeconds: round((own.user + own.system) / 1e6),
        apiCpuSeconds: Number.isNaN(api) ? null : round(api),
      };
    },
  };
}
