import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, MIN_PASSWORD_LENGTH } from './password-policy';

describe('the password policy', () => {
  it.each(['Gz7#kq2Lw!pB', 'correct horse battery', '路长巡查2026年冬季', 'admin-Xq9!r7Lm2'])('accepts %j', (password) => {
    expect(checkPasswordPolicy(password, 'admin')).toBeNull();
  });

  it('refuses fewer than 10 characters, counting characters rather than bytes', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(10);
    expect(checkPasswordPolicy('Gz7#kq2Lw', 'admin')).toMatch(/至少 10 个字符.*at least 10 characters.*got 9/);
    expect(checkPasswordPolicy('网格化城市管理平台', 'admin')).toMatch(/at least 10/);
    expect(checkPasswordPolicy('网格化城市管理平台密', 'admin')).toBeNull();
  });

  it.each([
    ['zhangsan_01', 'zhangsan_01'],
    ['ZhangSan_01', 'zhangsan_01'],
    ['zhangsan_01!', 'zhangsan_01'],
  ])('refuses the username (%j for %j), in any case and with a short suffix', (password, username) => {
    expect(checkPasswordPolicy(password, username)).toBe('密码不能是用户名 / the password must not be the username');
  });

  it.each(['demo1234', 'Demo1234', '12345678', '1234567890', 'password123', 'PASSWORD1234', 'qwertyuiop', 'admin123456', 'aaaaaaaaaa', '9876543210', 'abcdefghijk'])(
    'refuses the common password %j (too short or too common)',
    (password) => {
      expect(checkPasswordPolicy(password, 'admin')).not.toBeNull();
    },
  );

  it('names the common-password reason in both languages', () => {
    expect(checkPasswordPolicy('password123', 'admin')).toBe('密码过于常见 / the password is too common');
  });
});
