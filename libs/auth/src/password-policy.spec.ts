import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy';

describe('password policy', () => {
  it('accepts a long, personal password', () => {
    expect(checkPasswordPolicy('梧桐-river-1987', 'warden9')).toBeNull();
    expect(checkPasswordPolicy('Mx7#pq2-Lz', 'li.ming')).toBeNull();
  });

  it('refuses fewer than 10 characters, counting characters, not bytes', () => {
    expect(checkPasswordPolicy('Mx7#pq2-L', 'li.ming')).toMatch(/at least 10 characters.*至少 10/);
    expect(checkPasswordPolicy('', 'li.ming')).toMatch(/at least 10/);
    expect(checkPasswordPolicy('网格管理员的新密码啊', 'li.ming')).toBeNull();
  });

  it('refuses the username, in any case, reversed, or with a short affix', () => {
    expect(checkPasswordPolicy('warden.zhang', 'warden.zhang')).toMatch(/username.*用户名/);
    expect(checkPasswordPolicy('WARDEN.ZHANG', 'warden.zhang')).toMatch(/username/);
    expect(checkPasswordPolicy('gnahz.nedraw', 'warden.zhang')).toMatch(/username/);
    expect(checkPasswordPolicy('warden.zhang1', 'warden.zhang')).toMatch(/username/);
    expect(checkPasswordPolicy('WARDEN.ZHANGwarden.zhang', 'warden.zhang')).toMatch(/username/);
    expect(checkPasswordPolicy('warden.zhang-梧桐-1987', 'warden.zhang')).toBeNull();
  });

  it('refuses common passwords, repeated characters and runs', () => {
    expect(checkPasswordPolicy('1234567890', 'li.ming')).toMatch(/too common.*常见/);
    expect(checkPasswordPolicy('Password123', 'li.ming')).toMatch(/too common/);
    expect(checkPasswordPolicy('qwertyuiop', 'li.ming')).toMatch(/too common/);
    expect(checkPasswordPolicy('aaaaaaaaaaaa', 'li.ming')).toMatch(/too common/);
    expect(checkPasswordPolicy('ababababab', 'li.ming')).toMatch(/too common/);
    expect(checkPasswordPolicy('abcdefghijkl', 'li.ming')).toMatch(/too common/);
    expect(checkPasswordPolicy('9876543210', 'li.ming')).toMatch(/too common/);
  });
});
