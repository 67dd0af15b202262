import { Button } from '../../shared/components';
import { formatNumber } from '../../shared/format';
import { t } from './admin.i18n';
import type { Pager } from './admin-store';

export function PagerBar<T>({ pager, testId }: { pager: Pager<T>; testId: string }) {
  return (
    <nav class="serat-admin__pager" aria-label={t('pager.label')} data-testid={testId}>
      <Button onClick={() => void pager.previous()} disabled={!pager.hasPrevious.value || pager.loading.value} data-testid={`${testId}-previous`}>
        {t('pager.previous')}
      </Button>
      <span class="serat-admin__page" aria-live="polite">
        {t('pager.page', { page: formatNumber(pager.page.value) })}
      </span>
      <Button onClick={() => void pager.next()} disabled={!pager.hasNext.value || pager.loading.value} data-testid={`${testId}-next`}>
        {t('pager.next')}
      </Button>
    </nav>
  );
}
