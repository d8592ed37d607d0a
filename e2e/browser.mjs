// One way to start Debian's Chromium for every browser test, and what to
// watch while a test runs: dialogs (an injected alert), page errors, and any
// request that leaves `origin`. Every request's address is kept in
// `requests`; `options.allow(url)`, when given, decides instead of `origin`
// which requests are fine (a `file://` page passes one that allows only
// itself, so any http, https or data request counts as a problem).
import { chromium } from "playwright-core";

export async function launch(origin, options = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.MUTUAL_CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("dialog", async (dialog) => {
    if (dialog.type() === "confirm") return dialog.accept();
    problems.push(`a ${dialog.type()} dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`a page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`a console error: ${message.text()}`);
  });
  context.on("request", (request) => {
    const target = request.url();
    requests.push(target);
    const fine = options.allow
      ? options.allow(target)
      : origin === null || target.startsWith(origin + "/") || target.startsWith("data:");
    if (!fine) problems.push(`a request elsewhere: ${target}`);
  });
  return { browser, context, page, problems, requests };
}
