// A real headless Chromium (Debian's) loads a page built from the installed package: typing into the
// password field shows the live messages and the strength meter.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { after, before, it } from "node:test";

import { chromium } from "playwright-core";

import { bundleBrowserApp } from "./support/browser-app.js";
import { makeConsumerProject, removeProject } from "./support/consumer-project.js";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
let project;
let server;
let browser;
let page;

before(async () => {
  project = makeConsumerProject();
  const root = await bundleBrowserApp(project);
  server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url, "http://localhost").pathname).replace(/^\/+/, "") || "index.html";
    try {
      const body = await readFile(join(root, path));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  page = await browser.newPage();
  const failures = [];
  page.on("pageerror", (error) => failures.push(error));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  assert.deepEqual(failures, []);
});

after(async () => {
  await browser?.close();
  server?.close();
  if (project) removeProject(project);
});

it("shows the policy's rules before the user types", async () => {
  const rules = await page.locator("#rules li").allTextContents();
  assert.ok(rules.includes("Your password must contain at least 8 characters."), rules.join("|"));
});

it("typing a common password shows its messages and a zero strength", async () => {
  await page.locator("#password").pressSequentially("password");
  await page.waitForSelector("#messages li.password_too_common");
  const messages = await page.locator("#messages li").allTextContents();
  assert.ok(messages.includes("Your password can't be a commonly used password."), messages.join("|"));
  await page.waitForSelector("#strength[data-score='0']");
});

it("typing a strong password with its confirmation clears the messages and fills the meter", async () => {
  await page.locator("#password").fill("");
  await page.locator("#password").pressSequentially("kD9#mQ2$vL7pX!");
  await page.locator("#confirm").pressSequentially("kD9#mQ2$vL7pX!");
  await page.waitForSelector("body[data-valid=true]");
  await page.waitForSelector("#strength[data-score='4']");
  assert.equal(await page.locator("#messages li").count(), 0);
  if (process.env.PWRESET_SCREENSHOT) await page.screenshot({ path: process.env.PWRESET_SCREENSHOT });
});

it("a different confirmation shows the mismatch", async () => {
  await page.locator("#confirm").pressSequentially("x");
  await page.waitForSelector("#messages li.password_mismatch");
  assert.equal(await page.locator("#messages li.password_mismatch").textContent(), "The two password fields didn't match.");
});
