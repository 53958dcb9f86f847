import { useState } from 'preact/hooks';
import { words } from './admin-i18n';

const w = words({
  title: ['一次性密码（仅显示这一次）', 'One-time password (shown this once)'],
  hint: [
    '请当面或通过安全渠道交给本人；首次登录时必须设置新密码。关闭后无法再次查看，只能重置。',
    'Hand it over in person or by a safe channel; it must be changed at the first login. Once closed it cannot be shown again, only reset.',
  ],
  copy: ['复制', 'Copy'],
  copied: ['已复制', 'Copied'],
  done: ['我已记下', 'Done'],
});

/** A new account's or a reset's one-time password, once, with a copy button. */
export function OneTimePassword({ username, password, onClose }: { username: string; password: string; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="card notice one-time" role="status" data-testid="one-time-password">
      <strong>{w('title')}</strong>
      <p>
        {username}: <code data-testid="one-time-password-value">{password}</code>{' '}
        <button
          type="button"
          data-testid="copy-password"
          onClick={() =>
            navigator.clipboard?.writeText(password).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? w('copied') : w('copy')}
        </button>
      </p>
      <p class="muted">{w('hint')}</p>
      <button type="button" onClick={onClose}>
        {w('done')}
      </button>
    </div>
  );
}
