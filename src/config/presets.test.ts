import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS_DIR, parsePresets } from './load-presets.js';
import { evaluateOutput } from './output-template.js';
import { resolveText } from './test-support/config-fixture.js';

const files = readdirSync(PRESETS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => ({ file: `presets/${name}`, text: readFileSync(join(PRESETS_DIR, name), 'utf8') }));
const { catalog, problems } = parsePresets(files);

describe('presets', () => {
  it('all validate against the preset schema (the dependency schema plus metadata)', () => {
    expect(problems).toEqual([]);
  });

  it('cover the stores, brokers and tools a real application needs', () => {
    expect([...catalog.keys()].sort()).toEqual(
      ['kafka', 'mailpit', 'mariadb', 'minio', 'mongodb', 'otel', 'postgres', 'rabbitmq', 'redis'].sort(),
    );
  });

  it('use the images the offline test hub provides for postgres and redis', () => {
    expect(catalog.get('postgres')?.image).toBe('postgres:17');
    expect(catalog.get('redis')?.image).toBe('redis:8');
  });

  it.each([...catalog.values()].map((preset) => [preset.name, preset] as const))(
    '%s: official image with a tag and no registry host, ports, readiness, a url output',
    (_name, preset) => {
      const [first, ...rest] = preset.image.split('/');
      expect(rest.length === 0 || !/[.:]|^localhost$/.test(first ?? ''), 'no registry host').toBe(true);
      expect(preset.image).toMatch(/:[\w.-]+$/);
      expect(Object.keys(preset.ports ?? {}).length).toBeGreaterThan(0);
      expect(preset.ready).toBeDefined();
      expect(preset.outputs.url).toBeDefined();
      for (const output of Object.values(preset.outputs)) {
        for (const template of typeof output === 'string' ? [output] : [output.host, output.network]) {
          expect(evaluateOutput(template, undefined)).toMatchObject({ ok: true });
        }
      }
    },
  );

  it.each([...catalog.keys()].map((name) => [name]))('%s resolves as a dependency of a service', (name) => {
    const { environment, problems: found } = resolveText(
      `dependencies:\n  dep: { preset: ${name} }\nservices:\n  app: { run: x, env: { URL: "\${dep.url}" } }\n`,
    );
    expect(found).toEqual([]);
    expect(environment?.services[0]?.env.values.URL).toMatch(/^[a-z]+:\/\/.*127\.0\.0\.1:\d+/);
  });
});
