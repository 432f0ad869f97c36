import type { GatewayPreview } from './gateway-previews.js';

/**
 * Pure: the previews to put to sleep: idle sleep on (`idle-sleep-minutes` > 0), every service ready,
 * and no request for that long (counting from when the gateway first saw it, if never requested).
 */
export function idlePreviews(
  previews: readonly GatewayPreview[],
  lastRequest: ReadonlyMap<string, number>,
  now: number,
): GatewayPreview[] {
  return previews.filter(({ record, services, asleep }) => {
    if (asleep || record.idleSleepMinutes <= 0 || services.length === 0) return false;
    if (!services.every((service) => service.state === 'ready')) return false;
    const last = lastRequest.get(record.id);
    return last !== undefined && now - last >= record.idleSleepMinutes * 60_000;
  });
}
