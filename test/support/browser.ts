import { Browser, BrowserContext, BrowserContextOptions, chromium, Page } from 'playwright-core';
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
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    serviceWorkers: 'allow',
    ...extra,
  });
}
