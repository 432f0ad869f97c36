import { describe, expect, it } from 'vitest';
import { parseDependsOn } from './parse-depends-on.js';

describe('parseDependsOn', () => {
  it('reads the list form as service_started', () => {
    const parsed = parseDependsOn(['db', 'cache']);
    expect(parsed.ok && parsed.value.map((d) => [d.name, d.condition, d.fromList])).toEqual([
      ['db', 'service_started', true],
      ['cache', 'service_started', true],
    ]);
  });

  it('reads the map form with conditions, required and restart', () => {
    const parsed = parseDependsOn({
      db: { condition: 'service_healthy', restart: true },
      migrate: { condition: 'service_completed_successfully' },
      cache: { required: false },
    });
    expect(parsed.ok && parsed.value.map((d) => [d.name, d.condition, d.required, d.restart])).toEqual([
      ['db', 'service_healthy', true, true],
      ['migrate', 'service_completed_successfully', true, false],
      ['cache', 'service_started', false, false],
    ]);
  });

  it('refuses an unknown condition', () => {
    expect(parseDependsOn({ db: { condition: 'service_ready' } }).ok).toBe(false);
  });
});
