import { Locator, Page } from 'playwright-core';

/**
 * The map as a browser test meets it. Every click on a feature waits until the map is idle
 * (`body[data-map-idle]`: its data loaded, no read on its way, no redraw scheduled, no pan or
 * zoom under way): a layer drawn again between the press and the release of a click swallows it.
 * So one click is enough, and a failure says what the map was still doing.
 */
export class MapPage {
  constructor(readonly page: Page) {}

  /** The map has its data on screen and nothing pending. */
  async ready(timeout = 30000): Promise<void> {
    await this.page.waitForSelector('body[data-map-ready="true"]', { timeout });
    await this.idle(timeout);
  }

  /** Nothing pending on the map; fails naming what still was. */
  async idle(timeout = 15000): Promise<void> {
    try {
      await this.page.waitForSelector('body[data-map-idle="true"]', { state: 'attached', timeout });
    } catch (error) {
      const busy = await this.page.evaluate(() => document.body.dataset.mapBusy ?? '(nothing; the map has no data)').catch(() => '(page gone)');
      throw new Error(`the map did not become idle within ${timeout} ms; still pending: ${busy}`, { cause: error });
    }
  }

  /** Opens the app at a place (`#zoom/lat/lon`), loaded afresh, and waits until the map is idle. */
  async show(baseUrl: string, lon: number, lat: number, zoom: number): Promise<void> {
    // A load afresh, not a change of the hash and a reload: a pan still settling from the step
    // before (a panel closing) would write its own place into the address before the reload read it.
    await this.page.goto('about:blank');
    await this.page.goto(`${baseUrl}/#${zoom}/${lat.toFixed(7)}/${lon.toFixed(7)}`);
    await this.ready();
  }

  /** The open popup, when it shows `text`. */
  popup(text: string): Locator {
    return this.page.locator('.leaflet-popup-content', { hasText: text });
  }

  /** Clicks the middle of the map (where `show` put the place) and waits for `popup`. */
  async clickCentre(popup: Locator): Promise<void> {
    const box = (await this.page.locator('#map').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.idle();
    await this.page.mouse.click(x, y);
    try {
      await popup.waitFor({ timeout: 10000 });
    } catch (error) {
      const seen = await this.page.evaluate(
        ([px, py]) => ({
          hit: document.elementFromPoint(px, py)?.outerHTML.slice(0, 300) ?? 'nothing',
          popup: document.querySelector('.leaflet-popup-content')?.textContent?.slice(0, 200) ?? 'none',
        }),
        [x, y],
      );
      throw new Error(`no such popup after a click in the map's middle; the click met ${seen.hit}; popup shown: ${seen.popup}`, { cause: error });
    }
    await this.idle();
  }

  /** Clicks the marker titled `title` (a site) and waits until its popup is open and the map still. */
  async openMarker(title: string, popupText = title): Promise<void> {
    await this.idle();
    await this.page.getByTitle(title, { exact: true }).first().click();
    await this.popup(popupText).waitFor({ timeout: 10000 });
    // Opening a popup near the edge pans the map to show it.
    await this.idle();
  }
}
