/** @jest-environment ./apps/web/jest-environment.cjs */
/**
 * The milestone form's rules without a page: which fields each criterion asks for, the body sent
 * (fields a criterion does not use as null, numbers as the reader writes them), the obvious
 * mistakes, and where the server's problems go.
 */
import type { Milestone } from '../../../../../libs/contract/src';
import { ApiError } from '../../shared/api';
import { setLang } from '../../shared/i18n';
import {
  checkCompletion,
  checkForm,
  criterionFields,
  emptyForm,
  formOf,
  parseNumber,
  requestBody,
  serverProblems,
  shownFields,
  withCategory,
  type MilestoneFormValues,
} from './milestone-form';

const form = (over: Partial<MilestoneFormValues> = {}): MilestoneFormValues => ({
  ...emptyForm(),
  code: ' TG-KM-01 ',
  title: ' Kabel aktif Baamang ',
  targetDate: '2030-06-30',
  ...over,
});

const apiError = (status: number, code: string, message: string, details?: unknown) => new ApiError('/api/milestones', status, 'http', { code, message, requestId: 'r1', details });

describe('the milestone form', () => {
  afterEach(() => setLang('id'));

  it('shows the fields of the criterion chosen', () => {
    expect(criterionFields('sites_connected')).toEqual({ phase: true, targetValue: 'percent', siteKind: true, area: false, evidence: true });
    expect(criterionFields('km_active')).toEqual({ phase: false, targetValue: 'km', siteKind: false, area: true, evidence: true });
    expect(criterionFields('segments_tested')).toEqual({ phase: true, targetValue: null, siteKind: false, area: false, evidence: true });
    expect(criterionFields('manual')).toEqual({ phase: false, targetValue: null, siteKind: false, area: false, evidence: false });
  });

  it('sends km active for a kecamatan with its target in km, the fields it does not use as null', () => {
    const body = requestBody(form({ criterion: 'km_active', areaCode: '62.02.05', targetValue: '12,5', phaseId: 'p1', siteKind: 'sopd', description: '  ' }));
    expect(body).toEqual({
      code: 'TG-KM-01',
      title: 'Kabel aktif Baamang',
      description: null,
      category: 'construction',
      phaseId: null,
      areaCode: '62.02.05',
      targetDate: '2030-06-30',
      criterion: 'km_active',
      targetValue: 12.5,
      siteKind: null,
      requiredEvidence: ['photo', 'gps'],
    });
  });

  it('sends a percent of a phase’s sites with the kind, and the evidence ticked in the contract’s order', () => {
    const body = requestBody(form({ criterion: 'sites_connected', phaseId: 'p1', targetValue: '80', siteKind: 'sopd', areaCode: '62.02', requiredEvidence: ['otdr', 'photo'] }));
    expect(body).toMatchObject({ phaseId: 'p1', areaCode: null, targetValue: 80, siteKind: 'sopd', requiredEvidence: ['photo', 'otdr'] });
  });

  it('sends a manual milestone without phase, area or target, with its category’s evidence', () => {
    const body = requestBody(form({ criterion: 'manual', category: 'handover', phaseId: 'p1', areaCode: '62.02', targetValue: '5', siteKind: 'sopd', requiredEvidence: [] }));
    expect(body).toMatchObject({ criterion: 'manual', category: 'handover', phaseId: null, areaCode: null, targetValue: null, siteKind: null, requiredEvidence: ['photo'] });
  });

  it('reads a target written with a comma or a point, and refuses what is no number', () => {
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber(' 12.5 ')).toBe(12.5);
    expect(parseNumber('80')).toBe(80);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('-3')).toBeNull();
    expect(parseNumber('12 km')).toBeNull();
    expect(parseNumber('1,2,3')).toBeNull();
  });

  it('catches what is required and missing, by field, for the fields shown', () => {
    const problems = checkForm(form({ code: ' ', title: '', targetDate: '', criterion: 'km_active', areaCode: '', targetValue: 'banyak' }));
    expect(Object.fromEntries(problems)).toEqual({
      code: 'mform.required',
      title: 'mform.required',
      targetDate: 'mform.date',
      areaCode: 'mform.chooseOne',
      targetValue: 'mform.number',
    });
    expect(Object.fromEntries(checkForm(form({ criterion: 'segments_tested' })))).toEqual({ phaseId: 'mform.chooseOne' });
    expect(checkForm(form({ criterion: 'manual' })).size).toBe(0);
    // The range is the server's to judge: 150 % goes to it, and its message comes back beside the field.
    expect(checkForm(form({ criterion: 'sites_connected', phaseId: 'p1', targetValue: '150' })).size).toBe(0);
  });

  it('presets the evidence from the category, unless the planner chose other evidence', () => {
    const fresh = form();
    expect(fresh.requiredEvidence).toEqual(['photo', 'gps']);
    expect(withCategory(fresh, 'testing').requiredEvidence).toEqual(['otdr']);
    expect(withCategory(fresh, 'permits').requiredEvidence).toEqual([]);
    expect(withCategory({ ...fresh, requiredEvidence: ['otdr', 'gps'] }, 'handover').requiredEvidence).toEqual(['otdr', 'gps']);
  });

  it('prefills a change from the stored milestone, the target as the reader writes it', () => {
    const stored = {
      code: 'TG-KM',
      title: 'Kabel aktif',
      description: null,
      category: 'construction',
      phaseId: null,
      areaCode: '62.02.05',
      targetDate: '2030-06-30',
      criterion: 'km_active',
      targetValue: 12.5,
      siteKind: null,
      requiredEvidence: ['gps', 'photo'],
    } as unknown as Milestone;
    expect(formOf(stored, 'id')).toEqual({
      code: 'TG-KM',
      title: 'Kabel aktif',
      description: '',
      category: 'construction',
      criterion: 'km_active',
      targetDate: '2030-06-30',
      phaseId: '',
      areaCode: '62.02.05',
      targetValue: '12,5',
      siteKind: '',
      requiredEvidence: ['photo', 'gps'],
    });
    expect(formOf(stored, 'en').targetValue).toBe('12.5');
    expect(requestBody(formOf(stored, 'id'))).toMatchObject({ targetValue: 12.5, areaCode: '62.02.05', description: null });
  });

  it('puts a server problem beside the field it names, the rest on top', () => {
    const shown = shownFields(form({ criterion: 'sites_connected' }));
    const label = (field: string) => `«${field}»`;

    const duplicate = serverProblems(apiError(409, 'DUPLICATE_CODE', 'Kode TG-1 sudah dipakai.'), shown, label);
    expect([...duplicate.fields]).toEqual([['code', 'Kode TG-1 sudah dipakai.']]);
    expect(duplicate.general).toEqual([]);
    expect(duplicate.conflict).toBe(false);

    const target = serverProblems(apiError(422, 'MILESTONE_TARGET_VALUE', 'Nilai target tidak sesuai kriteria.'), shown, label);
    expect([...target.fields]).toEqual([['targetValue', 'Nilai target tidak sesuai kriteria.']]);

    const validation = serverProblems(
      apiError(400, 'VALIDATION_FAILED', 'Permintaan tidak valid.', [
        { field: 'targetDate', problem: 'harus tanggal YYYY-MM-DD' },
        { field: 'requiredEvidence.1', problem: 'pilihan tidak dikenal' },
        { field: 'areaCode', problem: 'harus kode Kemendagri' },
        { field: '', problem: 'badan permintaan harus objek' },
      ]),
      shown,
      label,
    );
    expect(Object.fromEntries(validation.fields)).toEqual({ targetDate: 'harus tanggal YYYY-MM-DD', requiredEvidence: 'pilihan tidak dikenal' });
    // The area is not on the form for this criterion: its problem goes on top, named.
    expect(validation.general).toEqual(['Permintaan tidak valid.', '«areaCode»: harus kode Kemendagri', 'badan permintaan harus objek']);

    // A domain error about a field the form does not show goes on top.
    const area = serverProblems(apiError(422, 'MILESTONE_NEEDS_AREA', 'Pilih wilayahnya.'), shown, label);
    expect(area.fields.size).toBe(0);
    expect(area.general).toEqual(['Pilih wilayahnya.']);
  });

  it('tells a stale version from a duplicate code (both 409)', () => {
    const laid = serverProblems(apiError(409, 'VERSION_CONFLICT', 'Data ini sudah diubah orang lain.'), shownFields(form()), String);
    expect(laid.conflict).toBe(true);
    expect(laid.fields.size).toBe(0);
  });

  it('puts the completion’s problems beside its fields', () => {
    const shown = new Set(['doneOn', 'note', 'photos']);
    expect([...serverProblems(apiError(422, 'MILESTONE_DONE_IN_FUTURE', 'Tanggal selesai belum tiba.'), shown, String).fields]).toEqual([
      ['doneOn', 'Tanggal selesai belum tiba.'],
    ]);
    const photos = serverProblems(apiError(400, 'VALIDATION_FAILED', 'Permintaan tidak valid.', [{ field: 'photoIds', problem: 'lampirkan minimal satu foto' }]), shown, String);
    expect([...photos.fields]).toEqual([['photos', 'lampirkan minimal satu foto']]);
  });

  it('records done only on a day that has come, with a note and a photo', () => {
    expect(checkCompletion({ doneOn: '2026-11-20', note: 'BAST ditandatangani', photos: 1 }, '2026-11-20').size).toBe(0);
    expect(Object.fromEntries(checkCompletion({ doneOn: '2026-11-21', note: ' ', photos: 0 }, '2026-11-20'))).toEqual({
      doneOn: 'done.future',
      note: 'mform.required',
      photos: 'done.photosRequired',
    });
    expect(Object.fromEntries(checkCompletion({ doneOn: '', note: 'x', photos: 2 }, '2026-11-20'))).toEqual({ doneOn: 'mform.date' });
  });
});
