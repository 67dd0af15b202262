import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';
import { testSettings } from './databases';

/** A phone held upright, and an office screen. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** Debian's Chromium, headless, without the background traffic that this closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: testSettings.chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Fills in the sign-in form and sends it; the caller waits for what it expects next. */
export async function submitSignIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByTestId('login-identifier').fill(login);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** An Indonesian phone in the field: upright, touch, WIB clock, service workers on. */
export function phoneContext(browser: Browser, extra: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'id-ID', timezoneId: 'Asia/Jakarta', serviceWorkers: 'allow', ...extra,
  });
}

/**
 * Clicks the middle of the map until the popup named by `popup` shows, as a person clicks a
 * cable or a node that is a few pixels wide on a map that may still be settling (the desa layer
 * arrives a moment after the rest). A wrong popup opened meanwhile is closed first, or the next
 * click would only close it. Fails after a few tries.
 */
export async function clickMapCentreUntil(page: Page, popup: Locator, attempts = 5): Promise<void> {
  const box = (await page.locator('#map').boundingBox())!;
  for (let attempt = 1; ; attempt++) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    try {
      await popup.waitFor({ timeout: 3000 });
      return;
    } catch (error) {
      if (attempt === attempts) throw error;
      const close = page.locator('.leaflet-popup-close-button');
      if (await close.count()) await close.first().click();
      await page.waitForTimeout(300);
    }
  }
}
