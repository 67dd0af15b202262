import { Locator, Page } from 'playwright-core';

/** The admin screens as a browser test meets them: opened from the user menu, over the map. */
export class AdminPage {
  readonly screen: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('admin-screen');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByTestId('open-admin').click();
    await this.screen.waitFor({ timeout: 15000 });
  }

  row(username: string): Locator {
    return this.screen.getByTestId(`user-row-${username}`);
  }

  /** Searches the users on the server and waits until the list is that answer. */
  async search(text: string, expectRow: string): Promise<void> {
    await this.screen.getByTestId('users-search').fill(text);
    await this.screen.getByTestId('users-search-submit').click();
    await this.page.waitForFunction(
      ([expected]) => {
        const rows = Array.from(document.querySelectorAll('[data-testid^="user-row-"]'));
        return rows.length === 1 && rows[0].getAttribute('data-testid') === `user-row-${expected}`;
      },
      [expectRow],
      { timeout: 10000 },
    );
  }

  /** The editor's state line once it reads `text` (the server has answered). */
  async editorState(text: string): Promise<void> {
    await this.screen.getByTestId('user-edit-state').filter({ hasText: text }).waitFor({ timeout: 10000 });
  }

  /** Deactivates the open user: the button, then yes in the question it asks first. */
  async deactivate(): Promise<void> {
    await this.screen.getByTestId('user-deactivate').click();
    await this.screen.getByTestId('user-deactivate-confirm-confirm').click();
  }

  /** Resets the open user's password: the button, then yes in the question it asks first. */
  async resetPassword(): Promise<void> {
    await this.screen.getByTestId('user-reset-password').click();
    await this.screen.getByTestId('user-reset-confirm-confirm').click();
  }

  async temporaryPassword(): Promise<string> {
    const value = this.screen.getByTestId('temporary-password-value');
    await value.waitFor({ timeout: 10000 });
    return (await value.innerText()).trim();
  }

  /** The audit tab filtered to one object, once its `count` entries are shown. */
  async auditOf(entity: string, entityId: string, count: number): Promise<Locator> {
    await this.screen.getByTestId('admin-tab-audit').click();
    await this.screen.getByTestId('audit-entity').selectOption(entity);
    await this.screen.getByTestId('audit-entity-id').fill(entityId);
    await this.screen.getByTestId('audit-apply').click();
    const rows = this.screen.locator(`[data-testid="audit-row"][data-entity-id="${entityId}"]`);
    await this.page.waitForFunction(
      ([id, n]) =>
        document.querySelectorAll(`[data-testid="audit-row"]`).length === n &&
        Array.from(document.querySelectorAll('[data-testid="audit-row"]')).every((row) => row.getAttribute('data-entity-id') === id),
      [entityId, count] as const,
      { timeout: 10000 },
    );
    return rows;
  }
}
