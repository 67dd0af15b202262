import { passwordProblems } from './password-policy';

describe('password policy', () => {
  it.each([
    ['Kabel-Optik-77', []],
    ['serat optik sampai ke desa', []],
    ['short1A!', ['too_short']],
    ['lowercaseonly', ['too_simple']],
    ['password123', ['too_simple', 'too_common']],
    ['aaaaaaaaaaaaaaaaaaaa', ['too_common']],
  ])('%s → %j', (password, problems) => {
    expect(passwordProblems(password)).toEqual(problems);
  });

  it("refuses the person's own name, username or email name, but not the email domain", () => {
    expect(passwordProblems('Budiman-Sampit-2026', ['budiman@kotimkab.go.id'])).toEqual(['contains_personal']);
    expect(passwordProblems('Kotimkab-Serat-2026', ['budiman@kotimkab.go.id'])).toEqual([]);
    expect(passwordProblems('teknisi.rahman-77', ['Rahman Hakim'])).toEqual(['contains_personal']);
  });
});
