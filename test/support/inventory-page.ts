import { Locator, Page } from 'playwright-core';

/** The network list as a browser test meets it: opened from the user menu, over the map. */
export class InventoryPage {
  readonly screen: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('inventory-screen');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByTestId('open-inventory').click();
    await this.screen.waitFor({ timeout: 15000 });
    await this.settled();
  }

  async tab(layer: 'segments' | 'nodes' | 'sites'): Promise<void> {
    await this.screen.getByTestId(`inventory-tab-${layer}`).click();
    await this.page.waitForSelector(`[data-testid="inventory-table"][data-layer="${layer}"][aria-busy="false"]`, { timeout: 10000 });
    await this.settled();
  }

  /** The server has answered the last question: the table is not busy and the range is shown. */
  async settled(): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const table = document.querySelector('[data-testid="inventory-table"]');
        const range = document.querySelector('[data-testid="inventory-range"]')?.textContent ?? '';
        return table?.getAttribute('aria-busy') === 'false' && (/\d/.test(range) || document.querySelector('[data-testid="inventory-error"]') !== null);
      },
      undefined,
      { timeout: 10000 },
    );
  }

  /** Waits until the range line reads `text` (e.g. "1–50 dari 108"). */
  async range(text: string): Promise<void> {
    await this.screen
      .getByTestId('inventory-range')
      .filter({ hasText: new RegExp(`^${text}$`) })
      .waitFor({ timeout: 10000 });
    await this.settled();
  }

  async rangeText(): Promise<string> {
    return (await this.screen.getByTestId('inventory-range').innerText()).trim();
  }

  /** Does `action` and waits for the list's answer to a question whose query has `params`. */
  async answered(params: Record<string, string>, action: () => Promise<unknown>): Promise<void> {
    const answer = this.page.waitForResponse(
      (response) => {
        const url = new URL(response.url());
        return url.pathname.startsWith('/api/inventory/') && Object.entries(params).every(([name, value]) => url.searchParams.get(name) === value);
      },
      { timeout: 10000 },
    );
    await action();
    await answer;
    await this.settled();
  }

  /** Types into the search box and waits for the list of that search (typing is debounced). */
  async search(text: string): Promise<void> {
    await this.answered({ q: text, offset: '0' }, () => this.screen.getByTestId('inventory-search').fill(text));
  }

  async codes(): Promise<string[]> {
    return this.screen.getByTestId('inventory-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-code') ?? ''));
  }

  async sortBy(column: string): Promise<void> {
    await this.screen.getByTestId(`inventory-sort-${column}`).click();
    await this.settled();
  }

  async sortOf(column: string): Promise<string | null> {
    return this.screen.getByTestId(`inventory-col-${column}`).getAttribute('aria-sort');
  }

  exportLink(format: string): Locator {
    return this.screen.getByTestId(`inventory-export-${format}`);
  }

  row(code: string): Locator {
    return this.screen.locator(`[data-testid="inventory-row"][data-code="${code}"]`);
  }
}
