/** The shortest password an account may have (domain.md section 7). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Passwords refused as too common: the demo's own, the top of the public leak lists (digits,
 * keyboard rows, "password" and its variants) and the ones people choose for this kind of system.
 * Compared after lower-casing, so `Password123` is refused like `password123`.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'demo1234', 'demo12345', 'demo123456', 'demopassword',
  '1234567890', '0123456789', '12345678910', '123456789a', '1234567890a', '0987654321', '1111111111', '0000000000',
  '1q2w3e4r5t', 'qwertyuiop', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'asdfghjkl1', '1qaz2wsx3edc', 'zxcvbnm123',
  'password', 'password1', 'password12', 'password123', 'password1234', 'password!', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123',
  'iloveyou12', 'abc1234567', 'abcd123456', 'abcdefghij', 'a123456789', 'aa12345678', 'woaini1314', 'woaini520',
  'admin12345', 'admin123456', 'administrator', 'admin@123456', 'changeme123', 'welcome123', 'letmein123', 'test123456',
  'wangge1234', 'wangge123456',
]);

/**
 * Whether `password` may be an account's password: at least {@link MIN_PASSWORD_LENGTH} characters,
 * not the username, not a common password. Null when it may; otherwise the reason, in Chinese and
 * English, for the person choosing it.
 */
export function checkPasswordPolicy(password: string, username: string): string | null {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_LENGTH) {
    return `密码至少 ${MIN_PASSWORD_LENGTH} 个字符 / the password must be at least ${MIN_PASSWORD_LENGTH} characters long (got ${chars})`;
  }
  const lower = password.toLowerCase();
  if (username.trim() !== '' && lower.includes(username.trim().toLowerCase()) && lower.length - username.trim().length < 4) {
    return '密码不能是用户名 / the password must not be the username';
  }
  if (COMMON_PASSWORDS.has(lower) || isRun(lower)) {
    return '密码过于常见 / the password is too common';
  }
  return null;
}

/** One character repeated, or a run of consecutive characters (1234567890, abcdefghij, 9876543210). */
function isRun(text: string): boolean {
  const codes = [...text].map((c) => c.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]));
  return steps.size === 1 && [...steps].every((s) => Math.abs(s) <= 1);
}
