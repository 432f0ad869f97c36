import { describe, expect, it } from 'vitest';
import { hashBasicCredentials } from './basic-auth.js';
import {
  PREVIEW_RECORD_LABELS,
  type PreviewRecord,
  parseRecordLabels,
  previewEnvironmentName,
  previewHost,
  previewId,
  previewUrl,
  recordLabels,
} from './preview-contract.js';

const record: PreviewRecord = {
  id: previewId('shop', 'feature/a'),
  project: 'shop',
  env: previewEnvironmentName('feature/a'),
  branch: 'feature/a',
  commit: 'abc123',
  created: new Date('2026-11-26T10:00:00Z'),
  updated: new Date('2026-11-26T11:00:00Z'),
  expires: new Date('2026-11-29T11:00:00Z'),
  access: 'private',
  secret: 'c2VjcmV0',
  publicPaths: ['/webhooks/'],
  domain: 'preview.localhost:8080',
  idleSleepMinutes: 30,
  services: [{ service: 'api', host: 'api--feature-a-x.shop.preview.localhost' }],
};

describe('preview contract', () => {
  it('keeps a branch preview apart from the same branch run locally', () => {
    expect(previewEnvironmentName('feature/a')).toMatch(/^preview-feature-a-[0-9a-f]{8}$/);
    expect(previewId('shop', 'feature/a')).toMatch(/^feature-a-[0-9a-f]{8}\.shop$/);
  });

  it('names hosts like the local router, on the preview domain, with the port only in the URL', () => {
    const host = previewHost('shop', 'feature/a', 'api', 'Preview.Example.com:8080');
    expect(host).toMatch(/^api--feature-a-[0-9a-f]{8}\.shop\.preview\.example\.com$/);
    expect(previewUrl('shop', 'feature/a', 'api', 'preview.example.com:8080')).toBe(`http://${host}:8080`);
    expect(previewUrl('shop', 'feature/a', 'api', 'preview.example.com')).toBe(`http://${host}`);
  });

  it('round-trips a record through labels and rejects incomplete ones', () => {
    const labels = recordLabels(record);
    expect(parseRecordLabels(labels)).toEqual(record);
    const { 'devenv.preview.secret': _secret, ...withoutSecret } = labels;
    expect(parseRecordLabels(withoutSecret)).toBeUndefined();
  });

  it('carries the basic-auth hash when there is one, and drops a malformed one', () => {
    const basicAuth = hashBasicCredentials('shop:pw');
    const labels = recordLabels({ ...record, basicAuth });
    expect(labels[PREVIEW_RECORD_LABELS.basicAuth]).toBe(basicAuth);
    expect(parseRecordLabels(labels)).toEqual({ ...record, basicAuth });
    expect(recordLabels(record)).not.toHaveProperty(PREVIEW_RECORD_LABELS.basicAuth);
    // Fails closed: still private, only share links open it.
    const broken = parseRecordLabels({ ...labels, [PREVIEW_RECORD_LABELS.basicAuth]: 'shop:pw' });
    expect(broken).toEqual(record);
  });
});
