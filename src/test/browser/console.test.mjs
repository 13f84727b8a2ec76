// End-to-end tests of `umgw console` in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core). Started by ConsoleBrowserTest (mvn test) with a JSON file naming the
// consoles to test (one on slapd, one on the embedded directory) and where screenshots go.
// Prints "ok - <check>" per check; exits 1 at the first failure (with what was expected and seen).
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const shots = config.screenshots;
if (shots) mkdirSync(shots, { recursive: true });

function ok(what) {
  console.log('ok - ' + what);
}

function expect(cond, what, seen) {
  if (!cond) {
    throw new Error(what + (seen === undefined ? '' : ' (seen: ' + JSON.stringify(seen) + ')'));
  }
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function login(page, t, user, password) {
  await page.goto(t.url + '/login');
  await page.getByLabel('User (DN, uid or cn)').fill(user);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Log in' }).click()]);
}

async function logout(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/login$/);
}

/** Reloads `url` until `probe` holds (the service follows the directory in a moment). */
async function eventually(page, url, probe, what) {
  let last;
  for (let i = 0; i < 40; i++) {
    await page.goto(url);
    last = await probe();
    if (last === true) return;
    await page.waitForTimeout(250);
  }
  throw new Error(what + ' (last seen: ' + JSON.stringify(last) + ')');
}

async function shot(page, name) {
  if (!shots) return;
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(shots, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

function gatewayUrl(t, name) {
  return t.url + '/gateway?name=' + encodeURIComponent(name);
}

async function slapdChecks(browser, t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // Without --anonymous-read, every page leads to the login form.
  await page.goto(t.url + '/gateways');
  expect(page.url().endsWith('/login'), 'a page without login redirects to /login', page.url());
  ok('slapd: pages need a login');

  // A wrong password is refused, and says so.
  await login(page, t, t.user, t.password + '-wrong');
  expect(page.url().endsWith('/login'), 'a wrong password stays on /login', page.url());
  const refusal = await text(page, '[role=alert]');
  expect(refusal.includes('Login refused'), 'the refusal is shown', refusal);
  await shot(page, 'login-refused');
  ok('slapd: wrong password refused');

  // The right one logs in, and the sample's gateways are listed.
  await login(page, t, t.user, t.password);
  expect(page.url().includes('/gateways'), 'login leads to the gateways', page.url());
  const table = await text(page, 'table.gateways');
  for (const g of t.gateways) {
    expect(table.includes(g), 'gateway ' + g + ' is listed', table.slice(0, 400));
  }
  expect((await page.locator('table.gateways tr.collision').count()) > 0,
    'gateways sharing an IP are highlighted');
  await shot(page, 'gateways');
  ok('slapd: logged in, the sample gateways are listed');

  // Keyboard: the first Tab reaches the skip link, shown when focused; Enter moves to the content.
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return { cls: a.className, text: a.textContent, visible: r.left >= 0 && r.width > 0 };
  });
  expect(skip.cls === 'skip' && skip.visible, 'Tab focuses a visible skip link', skip);
  await page.keyboard.press('Enter');
  const focused = await page.evaluate(() => document.activeElement.id);
  expect(focused === 'main', 'the skip link moves the focus to the main content', focused);
  ok('slapd: keyboard: skip link first, then the content');

  // The 1175 collision on the trusted peers page, and the filter (a GET form).
  await page.goto(t.url + '/peers');
  const collision = page.locator('table.peers tr.collision', { hasText: t.collisionAddress });
  expect((await collision.count()) === 1, '1175: ' + t.collisionAddress + ' is highlighted');
  const row = await collision.first().textContent();
  expect(row.includes('1175') && t.collisionNames.every((n) => row.includes(n)),
    'the shared address names every gateway on it', row);
  await shot(page, 'peers');
  await page.getByLabel('Filter').fill(t.collisionAddress);
  await page.getByRole('button', { name: 'Filter' }).click();
  const rows = await page.locator('table.peers tbody tr').count();
  expect(rows === 1 && page.url().includes('q='), 'the filter keeps one address', rows);
  ok('slapd: 1175 collision highlighted on the trusted peers page; filter works');

  // Names from the directory are escaped: a description holding markup shows as text.
  await page.goto(gatewayUrl(t, t.xssGateway));
  const xss = await page.evaluate(() => window.__umgwXss);
  expect(xss === undefined, 'the script in the description did not run', xss);
  expect((await page.locator('main img').count()) === 0, 'no img element from the description');
  const props = await text(page, 'dl.props');
  expect(props.includes('<script>'), 'the description is shown as text', props);
  ok('slapd: markup in a directory description is escaped');

  // Live events: this page stays open while the other one changes the directory.
  const eventsPage = await context.newPage();
  await eventsPage.goto(t.url + '/events');
  await eventsPage.waitForFunction(
    () => (document.getElementById('live-status')?.textContent ?? '').includes('Live'));

  // Disable with "refuse new calls": the page says so, and (once the service has followed the
  // directory) the gateway's status reads NoNewCalls.
  await page.goto(gatewayUrl(t, t.disableGateway));
  await shot(page, 'gateway');
  await page.getByLabel('Refuse new calls, let current calls finish (NoNewCalls)').check();
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  const flash = await text(page, '.flash');
  expect(flash.includes('is now NoNewCalls'), 'the disable is confirmed', flash);
  await eventually(page, gatewayUrl(t, t.disableGateway),
    async () => (await text(page, 'dl.props')).includes('StatusNoNewCalls') || (await text(page, 'dl.props')),
    'the gateway page shows NoNewCalls');
  await page.goto(t.url + '/gateways?q=' + encodeURIComponent(t.disableGateway));
  const status = await text(page, 'table.gateways tbody td.status');
  expect(status === 'NoNewCalls', 'the gateways page shows NoNewCalls', status);
  ok('slapd: disabled ' + t.disableGateway + ' with "refuse new calls"; pages updated');

  await eventsPage.waitForFunction(
    () => [...document.querySelectorAll('#events-body tr.new')].some((r) => r.textContent.includes('9802')),
    null, { timeout: 10000 });
  await shot(eventsPage, 'events');
  await eventsPage.close();
  ok('slapd: the events page got event 9802 live (server-sent events)');

  // "Drop calls now" asks first; cancelling changes nothing.
  await page.goto(gatewayUrl(t, t.disableGateway));
  await page.getByLabel('Drop calls in progress now (Disabled)').check();
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  const question = await text(page, 'form.confirm [role=alert]');
  expect(question.includes('drops every call'), 'a confirmation is asked', question);
  await shot(page, 'confirm-drop-calls');
  await page.getByRole('link', { name: 'Cancel' }).click();
  expect((await text(page, 'dl.props')).includes('NoNewCalls'), 'cancel left it NoNewCalls');
  ok('slapd: "drop calls now" needs a confirmation');

  // A rule violation is refused with the rule's message.
  await page.goto(t.url + '/gateway/new');
  await page.getByLabel('Name').fill(t.ruleViolation.name);
  await page.getByLabel('Address (IPv4, IPv6 or FQDN)').fill(t.ruleViolation.address);
  await page.getByRole('button', { name: 'Create' }).click();
  const rule = await text(page, '.flash.error');
  expect(rule.includes(t.ruleViolation.message), 'the rule\'s message is shown', rule);
  await shot(page, 'rule-refused');
  ok('slapd: rule violation refused with its message: ' + rule);

  // A POST without the CSRF token (or with a wrong one) is refused, even with the session cookie.
  const noToken = await page.request.post(t.url + '/gateway/enable', {
    form: { name: t.disableGateway }, maxRedirects: 0 });
  expect(noToken.status() === 403, 'POST without CSRF token: 403', noToken.status());
  const badToken = await page.request.post(t.url + '/gateway/enable', {
    form: { name: t.disableGateway, csrf: 'forged' }, maxRedirects: 0 });
  expect(badToken.status() === 403, 'POST with a forged CSRF token: 403', badToken.status());
  ok('slapd: forms posted without the CSRF token are refused (403)');

  // The dial plans page, and the security headers.
  const resp = await page.goto(t.url + '/dial-plans');
  const csp = resp.headers()['content-security-policy'] ?? '';
  expect(csp.includes("frame-ancestors 'none'") && !csp.includes('unsafe-inline'), 'CSP', csp);
  expect((await page.locator('meter').count()) > 0, 'dial plans show the 200-gateway gauge');
  await shot(page, 'dial-plans');
  ok('slapd: dial plans with the gauge; CSP without inline script');

  // A phone-width look at the gateways.
  if (shots) {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await phone.addCookies(await context.cookies());
    const p = await phone.newPage();
    await p.goto(t.url + '/gateways');
    await p.screenshot({ path: join(shots, 'gateways-phone.png'), fullPage: true });
    await p.goto(gatewayUrl(t, t.disableGateway));
    await p.screenshot({ path: join(shots, 'gateway-phone.png'), fullPage: true });
    await phone.close();
  }
  await logout(page);
  await context.close();

  // A read-only directory user (by uid, mapped to its DN) may log in; the directory refuses its
  // change, and the console shows the directory's answer.
  const ro = await browser.newContext();
  const rp = await ro.newPage();
  await login(rp, t, t.reader.user, t.reader.password);
  expect(rp.url().includes('/gateways'), 'the reader logs in by uid', rp.url());
  await rp.goto(gatewayUrl(t, t.disableGateway));
  await rp.getByRole('button', { name: 'Enable' }).click();
  const denied = await text(rp, '.flash.error');
  expect(/insufficient access/i.test(denied), 'the directory refused the reader\'s change', denied);
  await ro.close();
  ok('slapd: a read-only user logs in by uid and the directory refuses its change');

  // Without JavaScript the pages and forms still work (only the live events need it).
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const np = await nojs.newPage();
  await login(np, t, t.user, t.password);
  await np.goto(t.url + '/events');
  expect((await np.locator('a', { hasText: 'Refresh' }).count()) === 1, 'events page has a refresh link');
  await np.goto(t.url + '/peers');
  expect((await np.locator('table.peers tbody tr').count()) > 0, 'peers readable without JS');
  await nojs.close();
  ok('slapd: pages and login work with JavaScript off');
}

async function embeddedChecks(browser, t) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, t, t.user, t.password + 'x');
  expect(page.url().endsWith('/login'), 'embedded: wrong password stays on /login', page.url());
  ok('embedded: wrong password refused');
  await login(page, t, t.user, t.password);
  expect(page.url().includes('/gateways'), 'embedded: login leads to the gateways', page.url());
  const table = await text(page, 'table.gateways');
  expect(table.includes(t.disableGateway), 'embedded: gateways listed', table.slice(0, 300));
  ok('embedded: logged in as ' + t.user);
  await page.goto(gatewayUrl(t, t.disableGateway));
  await page.getByRole('button', { name: 'Disable', exact: true }).click();
  const flash = await text(page, '.flash');
  expect(flash.includes('is now NoNewCalls'), 'embedded: disable confirmed', flash);
  await eventually(page, t.url + '/gateways?q=' + encodeURIComponent(t.disableGateway),
    async () => (await text(page, 'table.gateways tbody td.status')) === 'NoNewCalls' || (await text(page, 'table.gateways tbody td.status')),
    'embedded: the gateways page shows NoNewCalls');
  ok('embedded: disabled ' + t.disableGateway + ' with "refuse new calls"');
  await context.close();
}

const started = Date.now();
const browser = await chromium.launch({
  executablePath: config.chromium ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  for (const t of config.targets) {
    if (t.kind === 'slapd') await slapdChecks(browser, t);
    else await embeddedChecks(browser, t);
  }
  console.log(`all browser checks passed in ${Date.now() - started} ms`);
} catch (e) {
  console.log('not ok - ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
