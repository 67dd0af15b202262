import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** The administration of accounts. */
export const USERS_ERRORS = defineErrors({
  DUPLICATE_USER: { status: HttpStatus.CONFLICT, id: 'Email atau nama pengguna itu sudah dipakai.', en: 'That email or username is already taken.' },
  LAST_ADMIN: { status: HttpStatus.CONFLICT, id: 'Admin aktif terakhir tidak dapat diturunkan atau dinonaktifkan.', en: 'The last active admin cannot be demoted or deactivated.' },
});
