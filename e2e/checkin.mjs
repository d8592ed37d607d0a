// The friend's check-in page in a real browser, opened as a file:
//   node checkin.mjs INVITE_URL
// with MUTUAL_BIN, MUTUAL_DB, MUTUAL_NOW (the binary and its database),
// CHECKIN_ID, and EXPIRED_URL (a page whose invitation has closed).
// Answers every item with clicks and the keyboard, takes the reply code,
// receives it through the binary, opens the reveal in the same browser
// (pasted, and as a link), sees both sides; a tampered reveal gets a
// one-line error, a closed invitation says so, and the page makes no
// request but for its own file. Screenshots go to $MUTUAL_SHOTS when set.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { launch } from "./browser.mjs";

const inviteUrl = process.argv[2];
const expiredUrl = process.env.EXPIRED_URL;
const id = process.env.CHECKIN_ID;
const shots = process.env.MUTUAL_SHOTS;
const ownFiles = [inviteUrl, expiredUrl];

function mutual(...args) {
  return execFileSync(process.env.MUTUAL_BIN, args, {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", TZ: "UTC" },
  });
}

// Only the page's own file may be asked for: no http, https or data.
const { browser, context, page, problems, requests } = await launch("file://", {
  allow: (url) => ownFiles.includes(url.split("#")[0]),
});

async function shoot(name) {
  if (!shots) return;
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/checkin-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function fitsPhone(what) {
  for (const width of [360, 390]) {
    await page.setViewportSize({ width, height: 800 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= width, `${what} is ${wide}px wide on a ${width}px phone`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

try {
  // The invitation inside the page.
  await page.goto(inviteUrl);
  await page.getByRole("heading", { level: 1, name: "A check-in from Alex" }).waitFor();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /^default-src 'none';/);
  await fitsPhone("the questions");
  await shoot("questions");

  // Closeness by a click on its picture.
  await page.locator('label[for="closeness-6"]').click();
  assert.ok(await page.locator("#closeness-6").isChecked());
  // Balance with the arrow keys: from the first choice, three steps on.
  await page.locator("#balance-1").focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  assert.ok(await page.locator("#balance-4").isChecked(), "the arrow keys choose");
  // Feeling heard with Space on a focused choice.
  await page.locator("#heard-4").focus();
  await page.keyboard.press("Space");
  assert.ok(await page.locator("#heard-4").isChecked());
  // Time together: Tab from the last choice of "heard" reaches it.
  await page.locator('label[for="time-3"]').click();
  // More of: by their labels; less of: nothing.
  await page.locator("#more-presence").check();
  await page.locator("#more-listening").focus();
  await page.keyboard.press("Space");
  assert.ok(await page.locator("#more-listening").isChecked());
  // Words, typed.
  await page.getByLabel("One thing I need from our friendship right now").fill("a call on Sundays");
  await page.getByLabel("One boundary I would like us both to keep in mind").focus();
  await page.keyboard.type("no plans after ten");
  await page.getByLabel("Something you did lately that I am grateful for").fill("the soup when I was ill");
  await page.getByRole("button", { name: "Seal my answers for Alex" }).click();

  // The reply code.
  const codeBox = page.locator("#reply-code");
  await codeBox.waitFor();
  const reply = await codeBox.inputValue();
  assert.match(reply, /^mutual-reply1\.[A-Za-z0-9_-]+$/);
  console.log(`reply code: ${reply.length} characters`);
  await fitsPhone("the reply code");
  await shoot("reply");

  // Back to mutual: receive it, and both sides are there.
  assert.match(mutual("checkin", "receive", reply), /answers are in/);
  const shown = JSON.parse(mutual("checkin", "show", id, "--json"));
  assert.equal(shown.stage, "both");
  assert.equal(shown.both.find((l) => l.item === "closeness").theirs, "Mostly overlapping");
  const revealOut = mutual("checkin", "reveal", id);
  // The code alone, or a link once the page has an address.
  const revealCode = revealOut.split("\n")[0].trim().split("#reveal=").pop();
  assert.match(revealCode, /^mutual-reveal1\./);
  console.log(`reveal code: ${revealCode.length} characters`);

  // A tampered reveal, pasted: one line that says what went wrong.
  const middle = Math.floor(revealCode.length / 2);
  const swapped = revealCode[middle] === "A" ? "B" : "A";
  const tampered = revealCode.slice(0, middle) + swapped + revealCode.slice(middle + 1);
  await page.locator("#reveal-code").fill(tampered);
  await page.getByRole("button", { name: "See both sides" }).click();
  const problem = page.locator("#reveal-problem");
  await page.waitForFunction(() => document.getElementById("reveal-problem").textContent.length > 0);
  const error = await problem.innerText();
  assert.match(error, /does not open/);
  assert.equal(error.split("\n").length, 1, "one line");
  assert.equal(await page.locator("#status").innerText(), "", "said once, beside the field");
  // A cut one, too.
  await page.locator("#reveal-code").fill(revealCode.slice(0, 40));
  await page.getByRole("button", { name: "See both sides" }).click();
  await page.getByText(/cut short/).waitFor();
  await shoot("tampered");

  // The reveal, pasted on the page where the answers were sealed.
  await page.locator("#reveal-code").fill(revealCode);
  await page.getByRole("button", { name: "See both sides" }).click();
  await page.getByRole("heading", { level: 1, name: "Your check-in with Alex, side by side" }).waitFor();
  const closeness = page.locator("section.card", { has: page.locator("#both-closeness") });
  const sides = await closeness.locator(".side").allInnerTexts();
  assert.deepEqual(
    sides.map((s) => s.replace(/\s+/g, " ").trim()),
    ["You Mostly overlapping", "Alex Halfway overlapping"],
  );
  const balance = await page.locator("section.card", { has: page.locator("#both-balance") }).innerText();
  assert.match(balance, /You, a little more/);
  assert.match(balance, /About even/);
  assert.match(balance, /Alex sees the last months as balanced/);
  const need = await page.locator("section.card", { has: page.locator("#both-need") }).innerText();
  assert.match(need, /a call on Sundays/);
  assert.doesNotMatch(await page.locator("main").innerText(), /score|verdict/i);
  await fitsPhone("both sides");
  await shoot("both");

  // The same reveal as a link, opened in another tab of the same browser.
  const tab = await context.newPage();
  tab.on("pageerror", (e) => problems.push(`a page error: ${e.message}`));
  await tab.goto(`${inviteUrl}#reveal=${revealCode}`);
  await tab.getByRole("heading", { level: 1, name: "Your check-in with Alex, side by side" }).waitFor();
  // And tampered as a link: one line, nothing shown.
  await tab.goto(`${inviteUrl}#reveal=${tampered}`);
  await tab.locator("#status.warn").waitFor();
  assert.match(await tab.locator("#status").innerText(), /does not open/);
  await tab.close();

  // A closed invitation says so, and asks nothing.
  await page.goto(expiredUrl);
  await page.getByText(/no longer takes answers/).waitFor();
  assert.equal(await page.locator("input, textarea").count(), 0);
  await shoot("closed");

  assert.deepEqual(problems, []);
  const elsewhere = requests.filter((url) => !ownFiles.includes(url.split("#")[0]));
  assert.deepEqual(elsewhere, [], "no request but the page's own file");
  console.log(`requests: ${requests.length}, all to the page's own files`);
} finally {
  await browser.close();
}
