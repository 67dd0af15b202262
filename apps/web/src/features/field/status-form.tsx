/**
 * The status form: the next stage as one big button, the other statuses behind "Status lain",
 * damage as its own action, the note, and the evidence (photos from the camera, the GPS position,
 * an OTDR reading). Saving puts the change into the outbox; the server has the last word.
 *
 * Every control stays the same element across renders (Preact updates it in place): typing is
 * never lost, and a tap that lands while an answer redraws the panel still reaches its button.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { StatusChip } from '../../shared/components';
import { formatBytes, formatDistance } from '../../shared/format';
import { statusLabel } from '../../shared/i18n';
import { judgeMove } from '../../shared/vocabulary';
import type { FieldPhoto } from './field-photos';
import { t } from './field.i18n';
import { CameraIcon, PinIcon } from './field-icons';
import { evidenceText, expectedEvidence, isStatus, nextStage, otherStatuses, type FieldStore } from './field-store';
import { MessageBox } from './message-box';

const WAVELENGTHS_NM = ['1310', '1550', '1625'];

export function StatusForm({ store }: { store: FieldStore }) {
  const base = store.base.value;
  const editing = store.editing.value;
  const chosen = store.chosen.value;
  const message = store.formMessage.value;
  const note = useRef<HTMLTextAreaElement>(null);

  // A change that needs a reason: the note is where the thumb goes next.
  useEffect(() => {
    if (message?.key === 'field.noteRequired') note.current?.focus();
  }, [message]);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    void store.save();
  };
  const title = <h3 class="serat-lapangan__section-title">{t(editing ? 'field.editTitle' : 'field.changeTitle')}</h3>;
  if (!base) return null;
  if (base.blockedBy && !editing) {
    return (
      <form class="serat-lapangan__form" noValidate onSubmit={onSubmit} data-testid="field-form">
        {title}
        <p class="serat-lapangan__hint">{t('field.blocked')}</p>
      </form>
    );
  }
  if (!isStatus(base.status) || base.status === 'decommissioned') {
    return (
      <form class="serat-lapangan__form" noValidate onSubmit={onSubmit} data-testid="field-form">
        {title}
        <p class="serat-lapangan__hint">{t('field.final')}</p>
      </form>
    );
  }

  const from = base.status;
  const next = nextStage(from);
  const options = otherStatuses(from);
  const chosenOther = chosen && chosen !== next && chosen !== 'damaged' ? chosen : null;
  const verdict = chosen && isStatus(chosen) ? judgeMove(from, chosen) : null;
  const needsNote = !!verdict && verdict.allowed && verdict.needsReason;
  const shrinking = store.shrinking.value.length > 0;
  const saving = store.saving.value;

  let saveLabel: string;
  if (saving) saveLabel = t('field.saving');
  else if (shrinking) saveLabel = t('field.photoShrinking');
  else if (store.confirmNoEvidence.value) saveLabel = t('field.saveAnyway');
  else saveLabel = chosen ? t('field.saveTo', { status: statusLabel(chosen) }) : t('field.save');

  return (
    <form class="serat-lapangan__form" noValidate onSubmit={onSubmit} data-testid="field-form">
      {title}
      {base.basedOnQueued && <p class="serat-lapangan__hint">{t('field.basedOnQueued', { status: statusLabel(from) })}</p>}

      {/* The next stage: one big button, the usual move. */}
      {next && <div class="serat-lapangan__label">{t('field.nextStage')}</div>}
      {next && (
        <button
          type="button"
          class="serat-lapangan__next"
          data-status={next}
          aria-pressed={chosen === next}
          title={t('field.nextHint', { status: statusLabel(next) })}
          onClick={() => store.chooseNext(next)}
          data-testid="field-status-next"
        >
          <StatusChip status={from} />
          <span class="serat-lapangan__next-arrow" aria-hidden="true">
            →
          </span>
          <StatusChip status={next} />
        </button>
      )}

      {/* The rest behind "other status", each saying whether it needs a note. */}
      <details class="serat-lapangan__other" open={store.otherOpen.value || !!chosenOther} onToggle={(event) => store.setOtherOpen(event.currentTarget.open)}>
        <summary data-testid="field-other-toggle">{t('field.otherStatus')}</summary>
        <label class="serat-visually-hidden" for="serat-lapangan-other">
          {t('field.otherStatus')}
        </label>
        <select
          id="serat-lapangan-other"
          class="serat-input serat-lapangan__select"
          value={chosenOther ?? ''}
          onChange={(event) => store.chooseOther(event.currentTarget.value)}
          data-testid="field-status-other"
        >
          <option value="">{t('field.chooseOther')}</option>
          {options.map((status) => {
            const move = judgeMove(from, status);
            return (
              <option key={status} value={status}>
                {move.allowed && move.needsReason ? t('field.needsNote', { status: statusLabel(status) }) : statusLabel(status)}
              </option>
            );
          })}
        </select>
      </details>

      {/* Reporting damage: a separate, clearly marked action, only where the server allows it (active). */}
      {judgeMove(from, 'damaged').allowed && (
        <div class="serat-lapangan__damage-row" data-testid="field-damage">
          <div class="serat-lapangan__label">{t('field.damage')}</div>
          <button
            type="button"
            class="serat-button serat-button--secondary serat-button--danger serat-lapangan__damage"
            aria-pressed={chosen === 'damaged'}
            onClick={() => store.chooseDamage()}
            data-testid="field-report-damage"
          >
            {t('field.reportDamage')}
          </button>
          <p class="serat-lapangan__hint">{t('field.reportDamageHint', { status: statusLabel('damaged') })}</p>
        </div>
      )}

      <label class="serat-lapangan__label" for="serat-lapangan-note">
        {t(needsNote ? 'field.noteRequiredLabel' : 'field.note')}
      </label>
      <textarea
        ref={note}
        id="serat-lapangan-note"
        class="serat-input serat-lapangan__note"
        rows={3}
        maxLength={2000}
        required={needsNote}
        aria-invalid={message?.key === 'field.noteRequired'}
        placeholder={t(needsNote ? 'field.notePlaceholderReason' : chosen === 'damaged' ? 'field.notePlaceholderDamage' : 'field.notePlaceholder')}
        value={store.note.value}
        onInput={(event) => store.setNote(event.currentTarget.value)}
        data-testid="field-note"
      />

      <Evidence store={store} />

      {message && message.kind !== 'ok' && <MessageBox message={message} testId="field-form-message" />}
      <div class="serat-lapangan__actions">
        <button type="submit" class="serat-button serat-button--primary serat-lapangan__save" disabled={saving || !chosen || shrinking} data-testid="field-save">
          <span class="serat-button__label">{saveLabel}</span>
        </button>
        {editing && (
          <button type="button" class="serat-button serat-button--secondary" onClick={() => store.cancelEdit()} data-testid="field-cancel-edit">
            {t('field.cancelEdit')}
          </button>
        )}
      </div>
      {!store.online.value && <p class="serat-lapangan__hint">{t('field.offlineSaveHint')}</p>}
    </form>
  );
}

function Evidence({ store }: { store: FieldStore }) {
  const chosen = store.chosen.value;
  const photos = store.photos.value;
  const shrinking = store.shrinking.value;
  const gps = store.gps.value;
  const gpsBusy = store.gpsBusy.value;
  const length = store.otdrLength.value;
  const loss = store.otdrLoss.value;
  return (
    <div class="serat-lapangan__evidence">
      {chosen && expectedEvidence(chosen) && <p class="serat-lapangan__hint">{t('field.evidenceHint', { status: statusLabel(chosen), evidence: evidenceText(chosen) })}</p>}
      <input
        type="file"
        accept="image/*"
        capture="environment"
        id="serat-lapangan-photo"
        class="serat-visually-hidden"
        onChange={(event) => {
          const input = event.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = '';
          store.addPhotos(files);
        }}
        data-testid="field-photo-input"
      />
      <label class="serat-button serat-button--secondary serat-lapangan__photo-button" for="serat-lapangan-photo" data-testid="field-photo">
        <CameraIcon />
        <span>{t(photos.length + shrinking.length ? 'field.photoAnother' : 'field.photo')}</span>
      </label>
      {photos.length + shrinking.length > 0 && (
        <div class="serat-lapangan__photos" data-testid="field-photos">
          {photos.map((photo) => (
            <PhotoTile key={photo.key} photo={photo} onRemove={() => store.removePhoto(photo.key)} />
          ))}
          {shrinking.map((photo) => (
            <ShrinkingTile key={photo.key} onRemove={() => store.removePhoto(photo.key)} />
          ))}
        </div>
      )}
      <div class="serat-lapangan__gps">
        {gps ? (
          <>
            <PinIcon />
            <span class="serat-lapangan__gps-text" data-testid="field-gps-attached">
              {t('field.gpsAttached', { accuracy: formatDistance(gps.accuracyM) })}
            </span>
            <button type="button" class="serat-lapangan__link" onClick={() => store.removeGps()}>
              {t('field.gpsRemove')}
            </button>
          </>
        ) : (
          <button
            type="button"
            class="serat-button serat-button--secondary serat-lapangan__gps-button"
            disabled={gpsBusy}
            onClick={() => void store.attachGps()}
            data-testid="field-gps"
          >
            <PinIcon />
            <span>{t(gpsBusy ? 'field.locating' : 'field.gps')}</span>
          </button>
        )}
      </div>
      {(chosen === 'tested' || length || loss) && (
        <fieldset class="serat-lapangan__otdr">
          <legend>{t('field.otdr')}</legend>
          <div class="serat-lapangan__otdr-field">
            <label class="serat-lapangan__label" for="serat-lapangan-otdr-length">
              {t('field.otdrLength')}
            </label>
            <input
              type="text"
              inputMode="decimal"
              id="serat-lapangan-otdr-length"
              class="serat-input"
              autocomplete="off"
              placeholder="1250"
              value={length}
              onInput={(event) => store.setOtdr('length', event.currentTarget.value)}
              data-testid="field-otdr-length"
            />
          </div>
          <div class="serat-lapangan__otdr-field">
            <label class="serat-lapangan__label" for="serat-lapangan-otdr-loss">
              {t('field.otdrLoss')}
            </label>
            <input
              type="text"
              inputMode="decimal"
              id="serat-lapangan-otdr-loss"
              class="serat-input"
              autocomplete="off"
              placeholder="0,8"
              value={loss}
              onInput={(event) => store.setOtdr('loss', event.currentTarget.value)}
              data-testid="field-otdr-loss"
            />
          </div>
          <div class="serat-lapangan__otdr-field">
            <label class="serat-lapangan__label" for="serat-lapangan-otdr-wavelength">
              {t('field.otdrWavelength')}
            </label>
            <select
              id="serat-lapangan-otdr-wavelength"
              class="serat-input"
              value={store.otdrWavelength.value}
              onChange={(event) => store.setOtdr('wavelength', event.currentTarget.value)}
              data-testid="field-otdr-wavelength"
            >
              <option value="">—</option>
              {WAVELENGTHS_NM.map((nm) => (
                <option key={nm} value={nm}>{`${nm} nm`}</option>
              ))}
            </select>
          </div>
        </fieldset>
      )}
    </div>
  );
}

function RemoveButton({ onRemove }: { onRemove(): void }) {
  return (
    <button type="button" class="serat-lapangan__photo-remove" title={t('field.photoRemove')} aria-label={t('field.photoRemove')} onClick={onRemove}>
      ×
    </button>
  );
}

/** A queued photo with what it costs to send: "4,8 MB → 0,6 MB" when it was shrunk. */
function PhotoTile({ photo, onRemove }: { photo: FieldPhoto; onRemove(): void }) {
  const url = useMemo(() => URL.createObjectURL(photo.blob), [photo.blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  // A file this browser cannot show (HEIC, a damaged photo) is still queued: a camera in its place.
  const [broken, setBroken] = useState(false);
  const shrunk = photo.originalBytes !== undefined && photo.originalBytes > photo.blob.size;
  const from = shrunk ? formatBytes(photo.originalBytes!) : '';
  const to = formatBytes(photo.blob.size);
  return (
    <figure
      class="serat-lapangan__photo"
      data-testid="field-photo-item"
      data-bytes={String(photo.blob.size)}
      data-original-bytes={shrunk ? String(photo.originalBytes) : undefined}
    >
      {broken ? (
        <div class="serat-lapangan__photo-wait" role="img" aria-label={t('field.photoNoPreview')} title={t('field.photoNoPreview')}>
          <CameraIcon />
        </div>
      ) : (
        <img src={url} alt={t('field.photoAlt')} onError={() => setBroken(true)} />
      )}
      <RemoveButton onRemove={onRemove} />
      <figcaption class="serat-lapangan__photo-size" title={shrunk ? t('field.photoShrunkTitle', { from, to }) : t('field.photoAsTaken')} data-testid="field-photo-size">
        {shrunk ? t('field.photoShrunk', { from, to }) : to}
      </figcaption>
    </figure>
  );
}

function ShrinkingTile({ onRemove }: { onRemove(): void }) {
  return (
    <figure class="serat-lapangan__photo serat-lapangan__photo--shrinking" aria-busy="true" data-testid="field-photo-shrinking">
      <div class="serat-lapangan__photo-wait">
        <span class="serat-spinner serat-spinner--dark" />
      </div>
      <RemoveButton onRemove={onRemove} />
      <figcaption class="serat-lapangan__photo-size" role="status">
        {t('field.photoShrinking')}
      </figcaption>
    </figure>
  );
}
