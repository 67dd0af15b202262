/** @jest-environment ./apps/web/jest-environment.cjs */
/**
 * The outbox's state machine, on a real IndexedDB implementation (fake-indexeddb, in memory) and
 * a scripted server: what each answer does to a queued change, the order of sending, rebasing,
 * and that nothing leaves the outbox without a 201 or the technician's discard.
 */
import 'fake-indexeddb/auto';
import { ApiError, type StatusChangeBody, type Subject, type SubjectState } from '../../shared/api';
import { Outbox, type OutboxDraft, type OutboxItem, type OutboxParts } from './outbox';
import { OutboxStore } from './outbox-store';

type Answer = SubjectState | ApiError;
interface Sent {
  subject: Subject;
  id: string;
  body: StatusChangeBody;
}

/** The server as the outbox meets it: answers given in order, and what it was sent. */
class ScriptedServer {
  readonly sent: Sent[] = [];
  readonly uploads: string[] = [];
  private readonly answers: Answer[] = [];
  uploadFails = false;

  answer(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  readonly api: OutboxParts['api'] = {
    uploadPhoto: (_blob: Blob, name: string) => {
      if (this.uploadFails) return Promise.reject(new ApiError('/api/photos', null, 'network'));
      this.uploads.push(name);
      return Promise.resolve({ id: `photo-${this.uploads.length}` } as Awaited<ReturnType<OutboxParts['api']['uploadPhoto']>>);
    },
    changeStatus: (subject: Subject, id: string, body: StatusChangeBody) => {
      this.sent.push({ subject, id, body: structuredClone(body) });
      const next = this.answers.shift();
      if (!next) return Promise.reject(new Error('the test gave the server no answer'));
      return next instanceof ApiError ? Promise.reject(next) : Promise.resolve(next);
    },
    history: () =>
      Promise.resolve([{ toStatus: 'installed', changedBy: 'Budi (teknisi)', changedAt: '2026-12-01T03:00:00Z', note: 'sudah terpasang' }] as Awaited<
        ReturnType<OutboxParts['api']['history']>
      >),
  };
}

const refused = (status: number, code: string, details: unknown = null) =>
  new ApiError('/api/segments/s1/status', status, 'http', { code, message: `server says ${code}`, requestId: 'r1', details } as never);
const state = (id: string, status: string, version: number): SubjectState => ({ id, code: id.toUpperCase(), status, version }) as SubjectState;
const draft = (targetId: string, toStatus: string, baseVersion: number, extra: Partial<OutboxDraft> = {}): OutboxDraft => ({
  subject: 'segment',
  targetId,
  code: targetId.toUpperCase(),
  fromStatus: 'in_construction',
  baseVersion,
  basedOnQueued: false,
  toStatus,
  note: '',
  gps: null,
  otdr: null,
  photos: [],
  ...extra,
});

let dbCount = 0;
let store: OutboxStore<OutboxItem>;
let server: ScriptedServer;
let outbox: Outbox;

/** Lets the outbox finish what it started (its sending runs after add() resolves). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!outbox.syncing) return;
  }
  throw new Error('the outbox kept sending');
}
const setOnline = (online: boolean) => Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });

beforeEach(async () => {
  setOnline(true);
  store = new OutboxStore<OutboxItem>(`serat-field-test-${++dbCount}`);
  server = new ScriptedServer();
  outbox = new Outbox({ store, api: server.api, lang: () => 'id' });
  await outbox.setUser('u1');
});
afterEach(async () => {
  await outbox.setUser(null);
});

it('sends a stored change and removes it once the server took it (201)', async () => {
  server.answer(state('s1', 'installed', 4));
  const applied: SubjectState[] = [];
  outbox.onApplied((_item, result) => applied.push(result));
  await outbox.add(draft('s1', 'installed', 3, { note: '  kabel tertanam  ', gps: { lon: 112.95, lat: -2.54, accuracyM: 5 } as never }), new Date('2026-12-01T10:00:00+07:00'));
  await settle();
  expect(server.sent).toHaveLength(1);
  expect(server.sent[0].body).toEqual({
    status: 'installed',
    version: 3,
    deviceTime: expect.any(String),
    note: 'kabel tertanam',
    evidence: { gps: { lon: 112.95, lat: -2.54, accuracyM: 5 } },
  });
  expect(outbox.items()).toEqual([]);
  expect(await store.all('u1')).toEqual([]);
  expect(applied).toEqual([state('s1', 'installed', 4)]);
});

it('keeps a change while offline and sends it when the connection returns', async () => {
  setOnline(false);
  await outbox.add(draft('s1', 'installed', 3));
  await settle();
  expect(server.sent).toHaveLength(0);
  expect(outbox.items().map((item) => item.state)).toEqual(['pending']);

  setOnline(true);
  server.answer(state('s1', 'installed', 4));
  window.dispatchEvent(new Event('online'));
  await settle();
  expect(server.sent).toHaveLength(1);
  expect(outbox.items()).toEqual([]);
});

it('keeps a change pending when there is no answer or the server is busy, and says why', async () => {
  server.answer(new ApiError('/api/segments/s1/status', null, 'network'));
  await outbox.add(draft('s1', 'installed', 3));
  await settle();
  expect(outbox.items()).toMatchObject([{ state: 'pending', attempts: 1, problem: { kind: 'network' } }]);
  expect(outbox.stalled?.kind).toBe('network');

  server.answer(refused(503, 'UNAVAILABLE'));
  await outbox.sync();
  expect(outbox.items()).toMatchObject([{ state: 'pending', attempts: 2, problem: { kind: 'server', httpStatus: 503 } }]);

  server.answer(refused(409, 'WRITE_CONFLICT'));
  await outbox.sync();
  expect(outbox.items()).toMatchObject([{ state: 'pending', attempts: 3, problem: { kind: 'server', code: 'WRITE_CONFLICT' } }]);

  server.answer(state('s1', 'installed', 4));
  await outbox.sync();
  expect(outbox.items()).toEqual([]);
  expect(outbox.stalled).toBeNull();
});

it('an ended session keeps the change and stops sending until the user is back', async () => {
  setOnline(false);
  await outbox.add(draft('s1', 'installed', 3));
  await outbox.add(draft('s2', 'installed', 1));
  setOnline(true);
  server.answer(refused(401, 'UNAUTHENTICATED'));
  await outbox.sync();
  // The first answer stopped the run: the second change was not tried.
  expect(server.sent.map((sent) => sent.id)).toEqual(['s1']);
  expect(outbox.items()).toMatchObject([
    { state: 'pending', problem: { kind: 'auth' } },
    { state: 'pending', attempts: 0 },
  ]);
});

it('a version conflict keeps both versions; "mine on top" sends mine on the server\'s version', async () => {
  server.answer(refused(409, 'VERSION_CONFLICT', { current: { id: 's1', code: 'S1', status: 'installed', version: 7, route: { type: 'LineString', coordinates: [] } } }));
  await outbox.add(draft('s1', 'spliced', 3));
  await settle();
  const [conflict] = outbox.items();
  expect(conflict).toMatchObject({
    state: 'conflict',
    baseVersion: 3,
    toStatus: 'spliced',
    problem: { code: 'VERSION_CONFLICT', message: 'server says VERSION_CONFLICT', lang: 'id' },
  });
  // Only what the outbox shows of theirs is kept (not the route), with who made it so.
  expect(conflict.theirs).toEqual({
    id: 's1',
    code: 'S1',
    status: 'installed',
    version: 7,
    changedBy: 'Budi (teknisi)',
    changedAt: '2026-12-01T03:00:00Z',
    note: 'sudah terpasang',
  });
  // A conflict is never sent again by itself.
  await outbox.sync();
  expect(server.sent).toHaveLength(1);

  server.answer(state('s1', 'spliced', 8));
  await outbox.applyMineOnTop(conflict.id);
  await settle();
  expect(server.sent[1].body).toMatchObject({ status: 'spliced', version: 7 });
  expect(outbox.items()).toEqual([]);
});

it("a refused change is kept with the server's words; later changes of the same segment wait, others go", async () => {
  server.answer(refused(422, 'EVIDENCE_REQUIRED'), state('s2', 'installed', 2));
  await outbox.add(draft('s1', 'installed', 3));
  await outbox.add(draft('s1', 'spliced', 4, { basedOnQueued: true }));
  await outbox.add(draft('s2', 'installed', 1));
  await settle();
  expect(server.sent.map((sent) => sent.id)).toEqual(['s1', 's2']);
  expect(outbox.items()).toMatchObject([
    { targetId: 's1', state: 'rejected', problem: { kind: 'refused', httpStatus: 422, message: 'server says EVIDENCE_REQUIRED' } },
    { targetId: 's1', state: 'pending', attempts: 0 },
  ]);

  // Edited, it goes back to pending in its place, and both go in order.
  const [rejected] = outbox.items();
  server.answer(state('s1', 'installed', 4), state('s1', 'spliced', 5));
  await outbox.edit(rejected.id, { ...draft('s1', 'installed', 3), note: 'foto menyusul' });
  await settle();
  expect(server.sent.slice(2).map((sent) => [sent.body.status, sent.body.version, sent.body.note])).toEqual([
    ['installed', 3, 'foto menyusul'],
    ['spliced', 4, undefined],
  ]);
  expect(outbox.items()).toEqual([]);
});

it('a change based on a queued one is sent on the version the server actually gave', async () => {
  // The server's answer to the first is version 9, not the 4 the device predicted.
  server.answer(state('s1', 'installed', 9), state('s1', 'spliced', 10));
  await outbox.add(draft('s1', 'installed', 3));
  await outbox.add(draft('s1', 'spliced', 4, { basedOnQueued: true, fromStatus: 'installed' }));
  await settle();
  expect(server.sent.map((sent) => sent.body.version)).toEqual([3, 9]);
  expect(outbox.items()).toEqual([]);
});

it('uploads a photo once, even when the status change after it must be sent again', async () => {
  server.answer(new ApiError('/api/segments/s1/status', null, 'network'), state('s1', 'installed', 4));
  await outbox.add(draft('s1', 'installed', 3, { photos: [{ key: 'p1', blob: new Blob(['jpeg']), name: 'sambungan.jpg', uploadedId: null }] }));
  await settle();
  expect(server.uploads).toEqual(['sambungan.jpg']);
  expect((await store.all('u1'))[0].photos[0].uploadedId).toBe('photo-1');
  await outbox.sync();
  expect(server.uploads).toEqual(['sambungan.jpg']);
  expect(server.sent[1].body.evidence).toEqual({ photoIds: ['photo-1'] });
});

it("keeps each user's changes on the device: another user signing in neither sees nor sends them", async () => {
  setOnline(false);
  await outbox.add(draft('s1', 'installed', 3));
  await outbox.setUser('u2');
  expect(outbox.items()).toEqual([]);
  await outbox.add(draft('s2', 'installed', 1));

  // The device restarts: a new outbox over the same store finds each user's changes.
  const again = new Outbox({ store, api: server.api, lang: () => 'en' });
  await again.setUser('u1');
  expect(again.items().map((item) => item.targetId)).toEqual(['s1']);
  await again.setUser(null);
  await outbox.setUser('u1');
  expect(outbox.items().map((item) => item.targetId)).toEqual(['s1']);
});

it('discarding is the one way a change leaves unsent', async () => {
  server.answer(refused(422, 'LIFECYCLE_SKIP'));
  const item = await outbox.add(draft('s1', 'active', 3));
  await settle();
  expect(outbox.items()).toHaveLength(1);
  await outbox.discard(item.id);
  expect(outbox.items()).toEqual([]);
  expect(await store.get(item.id)).toBeUndefined();
});
