import { describe, expect, it } from 'vitest';
import { checkNode } from './doctor.js';

describe('checkNode', () => {
  it('accepts Node 22.22 and later', () => {
    expect(checkNode('22.22.0').ok).toBe(true);
    expect(checkNode('24.1.0').ok).toBe(true);
  });

  it('refuses older Node with a fix that names the provisioning script', () => {
    const check = checkNode('20.20.2');
    expect(check.ok).toBe(false);
    expect(check.fix).toContain('scripts/provision.sh');
    expect(checkNode('22.9.0').ok).toBe(false);
  });
});
