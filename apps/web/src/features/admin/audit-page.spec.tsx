/** @jest-environment jsdom */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeFetch } from '../../shared/fake-fetch.testing';
import { setLang } from '../../shared/i18n';
import type { AuditEntry } from './admin-api';
import { createAuditStore } from './admin-store';
import { AuditPage, auditFilterOf } from './audit-page';
import { adminUser } from './test-users.testing';

const admin = adminUser('admin', { role: 'admin', displayName: 'Admin Diskominfo' });
const siti = adminUser('siti');

function entry(id: number, change: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: String(id),
    at: '2026-03-04T02:05:00.000Z',
    actorId: admin.id,
    actorLabel: 'admin',
    action: 'update',
    entityType: 'user',
    entityId: siti.id,
    changes: { role: { before: 'viewer', after: 'planner' } },
    requestId: null,
    ip: null,
    deviceTime: null,
    ...change,
  };
}

function renderPage(pageSize = 50) {
  const store = createAuditStore(pageSize);
  render(<AuditPage store={store} />);
  void store.loadActors();
  void store.first();
  return store;
}

beforeEach(() => setLang('id'));

describe('the audit log', () => {
  it('turns whole days in WIB into the API’s from (inclusive) and to (exclusive)', () => {
    expect(auditFilterOf({ entity: 'user', entityId: ' abc ', user: admin.id, fromDay: '2026-03-01', toDay: '2026-03-04' })).toEqual({
      entity: 'user',
      entityId: 'abc',
      user: admin.id,
      from: '2026-02-28T17:00:00.000Z',
      to: '2026-03-04T17:00:00.000Z',
    });
    expect(auditFilterOf({ entity: '', entityId: '  ', user: '', fromDay: '', toDay: '' })).toEqual({});
  });

  it('shows who did what to whom, when (WIB) and the changed fields', async () => {
    fakeFetch((request) =>
      request.url.pathname === '/api/users'
        ? { body: { users: [admin, siti], next: null } }
        : {
            body: { entries: [entry(7), entry(6, { action: 'create', actorId: null, actorLabel: 'system:seed', changes: { active: { before: null, after: true } } })], next: null },
          },
    );
    renderPage();
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    const [update, create] = screen.getAllByTestId('audit-row');
    await waitFor(() => expect(update.textContent).toContain('siti'));
    // 02:05 UTC is 09:05 in WIB, whatever the zone of the device (TZ=UTC here).
    expect(update.textContent).toMatch(/4 Mar 2026,? 09[.:]05 WIB/);
    expect(within(update).getByText('diubah')).toBeTruthy();
    expect(update.textContent).toContain('Peran: Peninjau → Perencana');
    expect(create.textContent).toContain('system:seed');
    expect(create.textContent).toContain('Aktif: — → ya');

    setLang('en');
    await waitFor(() => expect(within(screen.getAllByTestId('audit-row')[0]).getByText('changed')).toBeTruthy());
    expect(screen.getAllByTestId('audit-row')[1].textContent).toContain('Active: — → yes');
    expect(screen.getAllByTestId('audit-row')[0].textContent).toContain('Role: Viewer → Planner');
  });

  it('sends the filters the API knows and pages back in time by the last id', async () => {
    const { requests } = fakeFetch((request) => {
      if (request.url.pathname === '/api/users') return { body: { users: [admin, siti], next: null } };
      const before = request.url.searchParams.get('before');
      return before ? { body: { entries: [entry(3)], next: null } } : { body: { entries: [entry(5), entry(4)], next: '4' } };
    });
    renderPage(2);
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    await screen.findByText('Admin Diskominfo (admin)');

    fireEvent.change(screen.getByTestId('audit-entity'), { target: { value: 'user' } });
    fireEvent.input(screen.getByTestId('audit-entity-id'), { target: { value: siti.id } });
    fireEvent.change(screen.getByTestId('audit-user'), { target: { value: admin.id } });
    fireEvent.input(screen.getByTestId('audit-from'), { target: { value: '2026-03-01' } });
    fireEvent.input(screen.getByTestId('audit-to'), { target: { value: '2026-03-04' } });
    fireEvent.click(screen.getByTestId('audit-apply'));
    await waitFor(() => expect(requests.filter((request) => request.url.pathname === '/api/audit')).toHaveLength(2));
    const filtered = requests.filter((request) => request.url.pathname === '/api/audit')[1].url.searchParams;
    expect(Object.fromEntries(filtered)).toEqual({
      entity: 'user',
      entityId: siti.id,
      user: admin.id,
      from: '2026-02-28T17:00:00.000Z',
      to: '2026-03-04T17:00:00.000Z',
      limit: '2',
    });

    fireEvent.click(await screen.findByTestId('audit-pager-next'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    const next = requests.filter((request) => request.url.pathname === '/api/audit').at(-1)!.url.searchParams;
    expect(next.get('before')).toBe('4');
    expect(next.get('user')).toBe(admin.id);
    expect(screen.getByText('Halaman 2')).toBeTruthy();
  });

  it('refuses a range that ends before it starts, without asking the server', async () => {
    const { requests } = fakeFetch((request) => (request.url.pathname === '/api/users' ? { body: { users: [], next: null } } : { body: { entries: [], next: null } }));
    renderPage();
    await screen.findByTestId('audit-empty');
    fireEvent.input(screen.getByTestId('audit-from'), { target: { value: '2026-03-05' } });
    fireEvent.input(screen.getByTestId('audit-to'), { target: { value: '2026-03-04' } });
    await screen.findByText('Tanggal akhir harus sama dengan atau setelah tanggal awal.');
    expect((screen.getByTestId('audit-apply') as HTMLButtonElement).disabled).toBe(true);
    expect(requests.filter((request) => request.url.pathname === '/api/audit')).toHaveLength(1);
  });
});
