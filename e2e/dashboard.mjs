// The dashboard in a real browser: node dashboard.mjs LOGIN_URL
// Logs in with the one-time link, completes a follow-up from Today, logs an
// entry through the form and finds it on the friend page, checks that names
// shaped like attacks stay text, and that every page fits a phone.
// Screenshots go to $MUTUAL_SHOTS when it is set.
import { strict as assert } from "node:assert";
import { launch } from "./browser.mjs";

const url = process.argv[2];
const base = new URL(url).origin;
const shots = process.env.MUTUAL_SHOTS;

const { browser, page, problems } = await launch(base);
try {
  // The link logs in once and lands on Today.
  await page.goto(url);
  assert.equal(new URL(page.url()).pathname, "/");
  await page.getByRole("heading", { level: 1, name: /^Today/ }).waitFor();

  // Complete a follow-up from Today.
  const item = page.locator("li.item", { hasText: "ask how the move went" });
  await item.getByRole("button", { name: "Mark done" }).click();
  await page.waitForURL(base + "/");
  assert.equal(await page.locator("li.item", { hasText: "ask how the move went" }).count(), 0);

  // Log an entry through the form, with the keyboard-reachable controls.
  await page.goto(base + "/log");
  await page.getByLabel("Who").selectOption({ label: "Sam" });
  await page.getByLabel("How", { exact: true }).selectOption("in-person");
  await page.getByLabel("Them").check();
  await page.getByLabel("I gave listening").selectOption("3");
  await page.getByLabel("I got practical").selectOption("1");
  await page.getByLabel(/^Energy afterwards/).selectOption("2");
  await page.getByLabel(/^Note/).fill("walked by the river <b>");
  await page.getByRole("button", { name: "Log it" }).click();
  await page.waitForURL(/\/friends\/\d+#entries$/);
  const entry = page.locator("ol.timeline li").first();
  assert.match(await entry.innerText(), /walked by the river <b>/);
  assert.match(await entry.innerText(), /you gave listening \(3\)/);

  // The log form remembers the last channel.
  await page.goto(base + "/log");
  assert.equal(await page.getByLabel("How", { exact: true }).inputValue(), "in-person");

  // Import a chat export through the upload page and link its sender.
  await page.goto(base + "/import");
  await page.getByLabel("Export files").setInputFiles(process.env.MUTUAL_CHAT);
  await page.getByLabel(/^Your name in the chats/).fill("John Doe");
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Who is who" }).waitFor();
  assert.match(await page.locator("section.summary").innerText(), /20 new messages/);
  const alice = page.locator("form.link-sender", { hasText: "Alice Placeholder" });
  await alice.getByRole("combobox").fill("Sam");
  await alice.getByRole("button", { name: "Link" }).click();
  await page.getByText("Alice Placeholder is linked.").waitFor();

  // A chat whose senders are named like attacks: their names stay text.
  await page.goto(base + "/import");
  await page.getByLabel("Export files").setInputFiles(process.env.MUTUAL_XSS_CHAT);
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Who is who" }).waitFor();
  await page.getByText("<img src=x onerror=alert(3)>", { exact: false }).first().waitFor();
  assert.equal(await page.locator('img[src="x"]').count(), 0, "an injected image on the import summary");

  // Names, notes, needs and wins shaped like attacks are text on every page.
  const pages = ["/", "/friends", "/friends/1", "/friends/2", "/log", "/import", "/import/1", "/import/2", "/checkins", "/review", "/settings"];
  for (const path of pages) {
    await page.goto(base + path);
    assert.equal(await page.locator('img[src="x"]').count(), 0, `an injected image on ${path}`);
    assert.equal(await page.locator("script:not([src])").count(), 0, `an inline script on ${path}`);
  }
  await page.goto(base + "/friends");
  await page.getByRole("link", { name: "<img src=x onerror=alert(1)>" }).waitFor();
  await page.goto(base + "/friends/1");
  await page.getByText('"><script>alert(1)</script>').first().waitFor();

  // Keyboard: the first Tab reaches the skip link, and focus is visible.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.className), "skip");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none");

  // Every page fits a 360 px phone without sideways scrolling.
  for (const width of [360, 390, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of pages) {
      await page.goto(base + path);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= width, `${path} is ${wide}px wide at ${width}px`);
      if (shots && width !== 360) {
        const name = path === "/" ? "today" : path.slice(1).replaceAll("/", "-");
        await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
      }
    }
  }
  assert.deepEqual(problems, [], "dialogs, page errors or requests elsewhere");
  console.log("dashboard: all browser checks passed");
} finally {
  await browser.close();
}
