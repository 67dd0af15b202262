/**
 * When a monitor's checks fall due: each monitor has a fixed slot inside its interval, taken from
 * its id (as Zabbix and Prometheus spread their probes), so 10,000 monitors at 60 s fall due about
 * 170 a second rather than all in the same millisecond, and a restart never moves them.
 */
import { createHash } from 'node:crypto';

/** A monitor's offset inside its interval, in ms: the same for the same id and interval, on any machine. */
export function slotOffsetMs(monitorId: string, intervalMs: number): number {
  const digest = createHash('sha256').update(monitorId).digest();
  return digest.readUInt32BE(0) % intervalMs;
}

/** The first slot at or after `fromMs` (epoch ms) of a monitor with this offset and interval. */
export function nextSlotMs(fromMs: number, offsetMs: number, intervalMs: number): number {
  return fromMs + ((((offsetMs - fromMs) % intervalMs) + intervalMs) % intervalMs);
}

/** The slots of a monitor inside [fromMs, toMs): at most one when the window is shorter than the interval. */
export function slotsIn(fromMs: number, toMs: number, offsetMs: number, intervalMs: number): number[] {
  const slots: number[] = [];
  for (let slot = nextSlotMs(fromMs, offsetMs, intervalMs); slot < toMs; slot += intervalMs) slots.push(slot);
  return slots;
}
