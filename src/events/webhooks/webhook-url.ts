import { lookup } from "node:dns/promises";
import { invalidInput, type Problem } from "../../domain/problem.js";
import { ipLiteralOf, type TargetGuard } from "./target-guard.js";

const MAX_URL_LENGTH = 2048;
/** A registration waits this long for the host name to resolve. */
const RESOLVE_TIMEOUT_MS = 5000;

export type UrlCheck = { readonly url: string } | { readonly problem: Problem };

const refused = (message: string): UrlCheck => ({ problem: invalidInput(message, "url") });

/**
 * Whether a webhook may be registered with this URL: http(s) (https only when required), no credentials in it, and
 * a host whose every address passes the guard (a name that resolves to a private address is refused like the
 * address). Returns the URL as it will be stored (normalised by WHATWG URL rules).
 */
export async function checkWebhookUrl(
  text: string,
  options: { readonly requireHttps: boolean; readonly guard: TargetGuard },
): Promise<UrlCheck> {
  if (text.length > MAX_URL_LENGTH) return refused(`url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return refused("url is not an absolute URL (like https://example.com/hooks/bookings)");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return refused(`url must be an http or https URL, not ${url.protocol.replace(/:$/, "")}`);
  if (url.protocol === "http:" && options.requireHttps)
    return refused("url must be https (WEBHOOK_REQUIRE_HTTPS is on)");
  if (url.username !== "" || url.password !== "")
    return refused("url must not carry a user name or password: authenticate deliveries by their signature");
  if (url.hostname === "") return refused("url has no host");
  const literal = ipLiteralOf(url.hostname);
  const addresses = literal !== undefined ? [literal] : await resolve(url.hostname);
  if (typeof addresses === "string") return refused(addresses);
  for (const address of addresses) {
    const why = options.guard.refusal(address);
    if (why !== undefined) {
      const where = literal !== undefined ? `${address} is` : `${url.hostname} resolves to ${address},`;
      return refused(
        `url's target is refused: ${where} ${why}. Webhooks may only target public addresses unless ` +
          "WEBHOOK_ALLOW_PRIVATE_NETWORKS allows the network",
      );
    }
  }
  return { url: url.href };
}

/** Every address a host name resolves to, or why it does not resolve. */
async function resolve(hostname: string): Promise<string[] | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((done) => {
    timer = setTimeout(() => done(`url's host ${hostname} did not resolve in time`), RESOLVE_TIMEOUT_MS);
  });
  const lookedUp = lookup(hostname, { all: true, verbatim: true }).then(
    (entries) => (entries.length === 0 ? `url's host ${hostname} has no address` : entries.map((e) => e.address)),
    (error: NodeJS.ErrnoException) => `url's host ${hostname} does not resolve (${error.code ?? error.message})`,
  );
  try {
    return await Promise.race([lookedUp, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
