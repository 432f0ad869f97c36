import { describe, expect, it } from 'vitest';
import {
  basicCredentialsOf,
  hashBasicCredentials,
  isBasicCredentialsHash,
  verifyBasicCredentials,
} from './basic-auth.js';

const header = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('basic credentials', () => {
  it('stores a salted hash, never the password, and verifies only the same credentials', () => {
    const stored = hashBasicCredentials('shop:s3cret pw');
    expect(stored).toMatch(/^scrypt\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('s3cret');
    expect(isBasicCredentialsHash(stored)).toBe(true);
    expect(verifyBasicCredentials(stored, 'shop:s3cret pw')).toBe(true);
    expect(verifyBasicCredentials(stored, 'shop:s3cret')).toBe(false);
    expect(verifyBasicCredentials(stored, 'other:s3cret pw')).toBe(false);
    // A fresh salt each time: equal passwords do not show as equal labels.
    expect(hashBasicCredentials('shop:s3cret pw')).not.toBe(stored);
  });

  it('refuses malformed or truncated hashes instead of comparing less', () => {
    const stored = hashBasicCredentials('a:b');
    const [, salt, hash] = stored.split('$');
    for (const bad of [
      '',
      'a:b',
      `bcrypt$${salt}$${hash}`,
      `scrypt$${salt}$${hash?.slice(0, 10)}`,
      `scrypt$$${hash}`,
    ])
      expect(verifyBasicCredentials(bad, 'a:b'), bad).toBe(false);
    expect(isBasicCredentialsHash('scrypt$x')).toBe(false);
  });

  it('reads user:password from an Authorization: Basic header only', () => {
    expect(basicCredentialsOf(header('shop:pa:ss'))).toBe('shop:pa:ss');
    expect(basicCredentialsOf(`bAsIc   ${Buffer.from('ü:ß').toString('base64')} `)).toBe('ü:ß');
    expect(basicCredentialsOf(header('no-colon'))).toBeUndefined();
    expect(basicCredentialsOf('Bearer abc.def')).toBeUndefined();
    expect(basicCredentialsOf('Basic not base64!')).toBeUndefined();
    expect(basicCredentialsOf(undefined)).toBeUndefined();
  });
});
