import { execFileSync } from "node:child_process";
import { type Browser, chromium } from "playwright-core";

/**
 * A real headless Chromium for page tests. CHROMIUM_PATH picks a browser installed on the machine (e.g.
 * /usr/bin/chromium); otherwise the one shipped inside the @sparticuz/chromium npm package is unpacked and used, so
 * a machine with only Node.js runs the page tests too.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--no-zygote",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

let unpacked: string | undefined;

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  // @sparticuz/chromium is an ES module, which jest's CommonJS runtime cannot import: ask a plain node process.
  unpacked ??= execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'import c from "@sparticuz/chromium"; process.stdout.write(await c.executablePath())',
    ],
    { encoding: "utf8", cwd: __dirname },
  ).trim();
  return unpacked;
}
