/**
 * The password policy (domain.md section 7): at least 10 characters, not the username (in any case,
 * or reversed), not a common password. Applies to passwords people choose; one-time passwords are
 * generated. Returns the reason in Chinese and English, or null when the password is acceptable.
 */
export const PASSWORD_MIN_LENGTH = 10;

/**
 * Passwords of 10 or more characters that lists of leaked passwords put first, and the demo's
 * (which must not survive into production). Compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '12345678910', '123456789a', 'a123456789', '1q2w3e4r5t', '1qaz2wsx3edc',
  'qwertyuiop', 'qwertyuiop[]', 'asdfghjkl;', 'zxcvbnm,./', 'qwerty12345', 'qwerty123456', 'qwe123qwe123', 'qazwsxedcrfv', 'zaq12wsxcde3',
  'password12', 'password123', 'password1234', 'password!!', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123', 'administrator', 'admin12345',
  'admin123456', 'admin@12345', 'iloveyou12', 'iloveyou123', 'woaini1314', 'woaini520520', '5201314520', '1314520520', 'aa12345678',
  'abc1234567', 'abcd123456', 'abcdefghij', 'abcdefg123', 'abc123456789', 'a1b2c3d4e5', 'changeme123', 'welcome123', 'welcome1234',
  'letmein123', 'football123', 'baseball123', 'sunshine123', 'princess123', 'dragon1234', 'monkey1234', 'trustno1234', 'superman123',
  'demo123456', 'demo1234demo', 'wangge1234', 'wangge123456', 'zhengzhou123', 'test123456', 'test1234567', 'user123456', 'qq123456789',
  'demopassword', 'admin@123456', '1234567890a', 'qwerty1234', 'asdfghjkl1', 'zxcvbnm123', 'iloveyou1234',
  '1234qwer1234', 'qwer1234qwer', '123qweasdzxc', '147258369a', '1472583690', '1592648370', '3141592653', '123123123123', '1231231230',
]);

export function checkPasswordPolicy(password: string, username: string): string | null {
  if (typeof password !== 'string' || [...password].length < PASSWORD_MIN_LENGTH) {
    return `the password must be at least ${PASSWORD_MIN_LENGTH} characters / 密码至少 ${PASSWORD_MIN_LENGTH} 个字符`;
  }
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  // The username itself, reversed, repeated, or with a short affix (`zhang.wei1`, `zhang.weizhang.wei`).
  const withoutName = name.length >= 4 ? lower.split(name).join('') : lower;
  if (name && (lower === name || lower === [...name].reverse().join('') || [...withoutName].length < 4)) {
    return 'the password must not be the username / 密码不能与用户名相同';
  }
  if (COMMON_PASSWORDS.has(lower) || new Set(lower).size <= 2 || isRun(lower)) {
    return 'this password is too common; choose another / 密码过于常见，请换一个';
  }
  return null;
}

/** A run of consecutive characters up or down (`abcdefghijk`, `9876543210`). */
function isRun(value: string): boolean {
  const codes = [...value].map((c) => c.codePointAt(0)!);
  const step = codes[1] - codes[0];
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - codes[i - 1] === step);
}
