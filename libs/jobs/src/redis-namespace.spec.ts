import { describe, expect, it } from 'vitest';
import { ALL_QUEUES } from './job.contract';
import { queuePrefixOfMetaKey, redisNamespace } from './redis-namespace';

describe('redisNamespace', () => {
  it('puts every key of a database under a prefix of its identity, one Redis Cluster slot (hash tag)', () => {
    const keys = redisNamespace('6F1C2A4E-0D9B-4C1E-9A57-3B2F6D8E1A90');
    expect(keys).toEqual({
      databaseId: '6F1C2A4E-0D9B-4C1E-9A57-3B2F6D8E1A90',
      prefix: 'wangge:{6f1c2a4e0d9b}',
      feedStream: 'wangge:{6f1c2a4e0d9b}:feed',
      outboxHints: 'wangge:{6f1c2a4e0d9b}:outbox',
    });
  });

  it('gives two databases different keys', () => {
    const a = redisNamespace('6f1c2a4e-0d9b-4c1e-9a57-3b2f6d8e1a90');
    const b = redisNamespace('0b7d3e55-8c21-4f0a-b6d4-2e9f1c7a5d33');
    for (const k of ['prefix', 'feedStream', 'outboxHints'] as const) expect(a[k]).not.toBe(b[k]);
  });
});

describe('queuePrefixOfMetaKey', () => {
  it("finds the prefix of the platform's queue meta keys, this version's and the one before", () => {
    expect(queuePrefixOfMetaKey('wangge:{6f1c2a4e0d9b}:routing:meta', ALL_QUEUES)).toBe('wangge:{6f1c2a4e0d9b}');
    expect(queuePrefixOfMetaKey('wangge:{0b7d3e558c21}:clocks:meta', ALL_QUEUES)).toBe('wangge:{0b7d3e558c21}');
    expect(queuePrefixOfMetaKey('wangge:bulletins:meta', ALL_QUEUES)).toBe('wangge');
  });

  it('ignores keys that are not a queue of the platform', () => {
    expect(queuePrefixOfMetaKey('bull:routing:meta', ALL_QUEUES)).toBeNull();
    expect(queuePrefixOfMetaKey('wangge:{6f1c2a4e0d9b}:routing:42', ALL_QUEUES)).toBeNull();
    expect(queuePrefixOfMetaKey('wangge:{6f1c2a4e0d9b}:mail:meta', ALL_QUEUES)).toBeNull();
  });
});
