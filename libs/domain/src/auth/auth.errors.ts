import { HttpStatus } from '@nestjs/common';
import { defineErrors } from '../shared/error-table';

/** Signing in and passwords. */
export const AUTH_ERRORS = defineErrors({
  INVALID_CREDENTIALS: { status: HttpStatus.UNAUTHORIZED, id: 'Email/nama pengguna atau kata sandi salah.', en: 'Wrong email/username or password.' },
  TOO_MANY_ATTEMPTS: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    id: 'Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {retryAfterS} detik.',
    en: 'Too many failed sign-in attempts. Try again in {retryAfterS} seconds.',
  },
  WEAK_PASSWORD: {
    status: HttpStatus.BAD_REQUEST,
    id: 'Kata sandi terlalu lemah: minimal 10 karakter dengan huruf besar, huruf kecil, angka atau simbol (atau 16 karakter bebas), bukan kata sandi umum dan tanpa nama atau email Anda.',
    en: 'The password is too weak: at least 10 characters mixing upper case, lower case, digits or symbols (or any 16 characters), not a common password, and without your name or email.',
  },
});
