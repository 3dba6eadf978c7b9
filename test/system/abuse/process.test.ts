import { idleBaselineMs, type HostileTarget, startProductionApi, worstStallDuring } from "../../support/abuse";
import { closedByServer, openSocket, slowLoris } from "../../support/process-edges";
import { openRawGraphQLSocket } from "../../support/raw-ws";
import { sleep, waitUntil } from "../../support/time";

jest.setTimeout(60_000);

const REQUEST_TIMEOUT_MS = 2000;
const MAX_CONNECTIONS = 20;
let target: HostileTarget;
let stderr = "";
beforeAll(async () => {
  target = await startProductionApi({
    LOG_LEVEL: "info",
    HTTP_HEADERS_TIMEOUT_MS: "1000",
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
  });
  target.api.child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
});
afterAll(() => target.close());

const post = (body: string, contentType = "application/json") =>
  fetch(target.api.url, { method: "POST", headers: { "content-type": contentType }, body });

describe("process edges under abuse (production mode)", () => {
  it("logs a 1 MB operation name and malformed bodies as short JSON lines on stdout, nothing on stderr", async () => {
    const name = `Op${"x".repeat(1_000_000)}`;
    await (await post(JSON.stringify({ query: `query ${name} { __typename }`, operationName: name }))).text();
    for (const body of ['{"query": ', "x".repeat(3_000_000)]) await (await post(body)).text();
    await (await post("query { __typename }", "text/plain")).text();
    await sleep(200); // the log stream is flushed asynchronously
    const lines = target.api.output().split("\n").filter(Boolean);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(5000);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(stderr).toBe("");
  });

  it("cuts off a slow-loris client within the request timeout while others are served", async () => {
    const baseline = await idleBaselineMs(target.api.url);
    let held: { heldMs: number; answer: string } | undefined;
    const worst = await worstStallDuring(
      target.api.url,
      slowLoris(target.api.url).then((result) => (held = result)),
    );
    expect(held!.heldMs).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
    expect(held!.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(worst).toBeLessThan(Math.max(baseline * 10, 500));
  });

  it("keeps WebSockets open past the request timeout", async () => {
    const { socket, closed } = await openRawGraphQLSocket(target.api.url);
    const early = await Promise.race([closed, sleep(REQUEST_TIMEOUT_MS + 2000).then(() => "open")]);
    expect(early).toBe("open");
    socket.close(1000);
    expect(await closed).toBe(1000);
  });

  it(`refuses connections beyond ${MAX_CONNECTIONS} and serves normal clients once they go`, async () => {
    const sockets = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 10 }, () => openSocket(target.api.url)));
    const refused = sockets.map(() => false);
    sockets.forEach((socket, i) => void closedByServer(socket).then(() => (refused[i] = true)));
    await waitUntil(() => refused.filter(Boolean).length >= 10, { message: "connections beyond the cap to close" });
    expect(sockets.length - refused.filter(Boolean).length).toBeLessThanOrEqual(MAX_CONNECTIONS);
    for (const socket of sockets) socket.destroy();
    await waitUntil(async () => (await post('{"query":"{__typename}"}').catch(() => undefined))?.ok === true, {
      message: "a normal request to be served again",
    });
  });
});
