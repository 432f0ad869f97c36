import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { shortHash } from '../naming/short-hash.js';
import { identifyProcess, isStillRunning, type ProcessIdentity } from '../process/process-identity.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { DevenvLabel } from '../runtime/container-spec.js';
import type { ObservedVolume } from '../runtime/observed-state.js';
import { RuntimeErrorCode } from '../runtime/runtime-errors.js';
import type { Clock } from '../util/clock.js';
import { PreviewLockedError } from './preview-locked-error.js';

/** On the lock volume and its heartbeats: the preview id. Not `devenv.preview`, so gc never takes it for an orphan. */
export const PREVIEW_LOCK_LABEL = 'devenv.preview.lock';
/** On the lock volume and its heartbeats: who holds it (JSON `LockHolder`). */
const PREVIEW_LOCK_HOLDER_LABEL = 'devenv.preview.lock.holder';
const BEAT_LABEL = 'devenv.preview.lock.beat';
/** On an end claim: the key (nonce) of the holder whose lock is being removed. */
const END_LABEL = 'devenv.preview.lock.end';
/** On an end claim: the run that claimed it (its nonce), so that a second claimant's create conflicts. */
const CLAIMANT_LABEL = 'devenv.preview.lock.claimant';

/** The commands that take a preview's lock: each changes the preview as a whole. */
export type LockCommand = 'preview up' | 'preview down' | 'preview gc';

/** A run holding a preview's lock: enough to name it, and to tell whether it still runs. */
export interface LockHolder {
  /** Absent on a lock of a devenv before `preview down` took it: a `preview up`. */
  command?: LockCommand;
  host: string;
  /** The kernel's boot id (Linux): two machines (or containers on two machines) may share a host name. */
  boot?: string;
  pid: number;
  /** The process's start time (Linux), so a reused pid is not taken for the holder. */
  started?: string;
  /** ISO 8601, when it took the lock. */
  since: string;
  /** Unique per acquisition: two runs of one process are two holders. */
  nonce: string;
}

/** Who takes a lock, and how to tell whether a holder on the same machine still runs. */
export interface LockHolderOptions {
  host: string;
  boot?: string | undefined;
  identity: ProcessIdentity;
  /** Whether a holder on this host still runs (pid and start time). */
  isRunning: (identity: ProcessIdentity) => Promise<boolean>;
}

/** This process on this machine. */
export async function thisProcessAsHolder(): Promise<LockHolderOptions> {
  const boot = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (text) => text.trim(),
    // Not Linux: the host name alone says whether a holder is on this machine.
    () => undefined,
  );
  return { host: hostname(), boot, identity: await identifyProcess(process.pid), isRunning: isStillRunning };
}

export interface PreviewLockOptions extends LockHolderOptions {
  /** What this run is, for the waiters' progress line. */
  command: LockCommand;
  runtime: Pick<ContainerRuntime, 'ensureVolume' | 'listVolumes' | 'removeVolume'>;
  clock: Clock;
  project: string;
  env: string;
  previewId: string;
  /** One human line: whom it waits for, or whose abandoned lock it takes over. */
  progress: (line: string) => void;
  signal: AbortSignal;
  /** How often a waiter tries again. */
  pollMs?: number;
  /** How often the holder shows it is alive. */
  beatMs?: number;
  /** A holder on another host that showed no sign of life for this long (by the waiter's clock) is gone. */
  staleMs?: number;
  /**
   * What to do about a holder known to be alive: wait for it (`up`, `down`), or fail at once with
   * PREVIEW_LOCKED (`gc`, which must not wait behind a deploy nor take its preview away). A holder on
   * this machine is known alive when it runs; one on another machine once it beats while this run
   * watches (within `beatMs`), and gone after `staleMs` without a beat, as for a waiter.
   */
  whenLive?: 'wait' | 'fail';
}

export interface PreviewLock {
  /**
   * Stops the heartbeat and removes the lock (if it is still this holder's). With `leftovers`, after
   * removing the preview: also every other lock volume of the preview (the heartbeats of killed runs),
   * so nothing of it stays on the engine.
   */
  release(options?: { leftovers?: boolean }): Promise<void>;
}

/**
 * One run changing a preview (`preview up`, `down`, `gc`) at a time, across machines: the lock lives on the preview host's engine
 * (the one thing every run shares), as a volume with a fixed name created with the holder's labels. The
 * engine creates a volume name once and returns the existing one to later creators, whose labels then
 * differ (NAME_CONFLICT): exactly one run holds it. A second run waits, saying for whom.
 *
 * A killed holder must not block forever: one on this host is gone when its pid (with its start time)
 * no longer runs; one on another host keeps a heartbeat (a new small volume every `beatMs`) and is gone
 * when the waiter saw no new beat for `staleMs` of its own clock (so the hosts' clocks need not agree).
 * The waiter then removes the abandoned lock (`endLock`: safe when several waiters see the same dead
 * holder) and takes it; when another waiter creates it first, it waits for that one.
 */
export async function acquirePreviewLock(options: PreviewLockOptions): Promise<PreviewLock> {
  const { runtime, clock, signal } = options;
  const pollMs = options.pollMs ?? 1_000;
  const staleMs = options.staleMs ?? 60_000;
  const name = `${options.project}-${options.env}-lock`;
  const holder: LockHolder = {
    command: options.command,
    host: options.host,
    ...(options.boot === undefined ? {} : { boot: options.boot }),
    pid: options.identity.pid,
    ...(options.identity.started === undefined ? {} : { started: options.identity.started }),
    since: new Date(clock.now()).toISOString(),
    nonce: randomBytes(6).toString('hex'),
  };
  const labels = {
    [DevenvLabel.project]: options.project,
    [DevenvLabel.env]: options.env,
    [PREVIEW_LOCK_LABEL]: options.previewId,
    [PREVIEW_LOCK_HOLDER_LABEL]: JSON.stringify(holder),
  };

  // The holder this run announced it waits for, what it last showed, and when that last changed.
  let announced: string | undefined;
  let seen: { signature: string; at: number } | undefined;
  // What the holder showed first: a change means it is alive (for `whenLive: 'fail'`).
  let first: string | undefined;
  // Another run's claim to end the dead holder's lock, and since when this run has seen it unchanged.
  let claimSeen: { claimant: string; at: number } | undefined;
  for (;;) {
    signal.throwIfAborted();
    try {
      await runtime.ensureVolume(name, labels);
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code !== RuntimeErrorCode.nameConflict) throw error;
    }
    const volumes = await runtime.listVolumes({ [PREVIEW_LOCK_LABEL]: options.previewId });
    const held = volumes.find((volume) => volume.name === name);
    if (held !== undefined) {
      const holderLabel = held.labels[PREVIEW_LOCK_HOLDER_LABEL];
      const other = parseHolder(held);
      const who = other === undefined ? 'an unknown holder' : describeHolder(other);
      const signature = [holderLabel, ...beatsOf(volumes, name)].join(' ');
      if (seen?.signature !== signature) seen = { signature, at: clock.now() };
      first ??= signature;
      const local = other !== undefined && other.host === options.host && other.boot === options.boot;
      const gone = local
        ? !(await options.isRunning({
            pid: other.pid,
            ...(other.started ? { started: other.started } : {}),
          }))
        : clock.now() - seen.at >= staleMs;
      if (!gone && options.whenLive === 'fail' && (local || signature !== first))
        throw new PreviewLockedError(options.previewId, `a \`${commandOf(other)}\` holds its lock (${who})`);
      if (announced !== holderLabel) {
        announced = holderLabel;
        options.progress(`waiting for ${runOf(other, options.command)} of this preview (${who})`);
      }
      if (gone) {
        const key = holderKey(held);
        if (await endLock(options, name, key, holder.nonce)) {
          options.progress(`the \`${commandOf(other)}\` holding the lock (${who}) is gone: taking over`);
          continue;
        }
        // Another run is ending it. A claim that stays is one whose claimant was killed half-way (the
        // claimant needs two engine calls, not `staleMs`): it is removed, and the takeover tried again.
        const claim = volumes.find((volume) => volume.labels[END_LABEL] === key);
        const claimant = claim?.labels[CLAIMANT_LABEL];
        if (claim === undefined || claimant === undefined) claimSeen = undefined;
        else if (claimSeen?.claimant !== claimant) claimSeen = { claimant, at: clock.now() };
        else if (clock.now() - claimSeen.at >= staleMs) {
          options.progress(`an abandoned takeover of the lock (${who}) is in the way: removing it`);
          await runtime.removeVolume(claim.name);
          claimSeen = undefined;
          continue;
        }
      }
    }
    await clock.sleep(pollMs, signal);
  }

  const beating = new AbortController();
  // The run ends (Ctrl-C) or releases: either way no more beats.
  signal.addEventListener('abort', () => beating.abort(), { once: true });
  const heartbeat = beat(options, name, holder, beating.signal);
  return {
    release: async (release) => {
      beating.abort();
      await heartbeat;
      if (release?.leftovers === true) {
        // The holder has the lock: any other lock volume of the preview is a killed run's.
        const volumes = await runtime.listVolumes({ [PREVIEW_LOCK_LABEL]: options.previewId });
        // Not a claim to end this holder's lock: its claimant is about to remove that lock.
        for (const volume of volumes)
          if (
            volume.name !== name &&
            volume.labels[BEAT_LABEL] !== holder.nonce &&
            volume.labels[END_LABEL] !== holder.nonce
          )
            await runtime.removeVolume(volume.name);
      }
      // False when a waiter took this holder for gone and is ending its lock: it removes it.
      await endLock(options, name, holder.nonce, holder.nonce);
    },
  };
}

/** The holder's sign of life: a new beat volume every `beatMs`, the one before removed. */
async function beat(
  options: PreviewLockOptions,
  name: string,
  holder: LockHolder,
  signal: AbortSignal,
): Promise<void> {
  const { runtime, clock } = options;
  const labels = {
    [DevenvLabel.project]: options.project,
    [DevenvLabel.env]: options.env,
    [PREVIEW_LOCK_LABEL]: options.previewId,
    [BEAT_LABEL]: holder.nonce,
  };
  for (let count = 1; !signal.aborted; count++) {
    try {
      await clock.sleep(options.beatMs ?? 10_000, signal);
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    try {
      await runtime.ensureVolume(`${name}-beat-${holder.nonce}-${count}`, labels);
      if (count > 1) await runtime.removeVolume(`${name}-beat-${holder.nonce}-${count - 1}`);
    } catch (error) {
      // The deploy goes on (it fails by itself if the engine is gone); a waiter may take over meanwhile.
      options.progress(
        `could not renew the preview lock (${error instanceof Error ? error.message : String(error)}); trying again`,
      );
    }
  }
}

/**
 * Removes the lock of the holder `key`, with its beats, if that holder still holds it; false when
 * another run is doing so. Check and removal are two engine calls, so two runs ending the same lock at
 * once could otherwise remove a lock a third run created in between. Each first creates the end claim
 * `<lock>-end-<key>` labelled with itself: the engine creates a name once, so exactly one run holds the
 * claim (the others get NAME_CONFLICT). Only the claimant removes a lock of that holder, and no new lock
 * can appear under the name while that one exists: what the claimant re-reads is what it removes.
 * Killed half-way, the claimant leaves its claim; waiters clear it once stale (see the loop).
 */
async function endLock(
  options: Pick<PreviewLockOptions, 'runtime' | 'project' | 'env' | 'previewId'>,
  name: string,
  key: string,
  claimant: string,
): Promise<boolean> {
  const { runtime } = options;
  const claim = `${name}-end-${key}`;
  try {
    await runtime.ensureVolume(claim, {
      [DevenvLabel.project]: options.project,
      [DevenvLabel.env]: options.env,
      [PREVIEW_LOCK_LABEL]: options.previewId,
      [END_LABEL]: key,
      [CLAIMANT_LABEL]: claimant,
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === RuntimeErrorCode.nameConflict) return false;
    throw error;
  }
  const volumes = await runtime.listVolumes({ [PREVIEW_LOCK_LABEL]: options.previewId });
  for (const volume of volumes)
    if (volume.labels[BEAT_LABEL] === key) await runtime.removeVolume(volume.name);
  const lock = volumes.find((volume) => volume.name === name);
  if (lock !== undefined && holderKey(lock) === key) await runtime.removeVolume(name);
  await runtime.removeVolume(claim);
  return true;
}

/** Names a holder for its end claim: its nonce; a lock devenv did not write, by its label. */
function holderKey(lock: ObservedVolume): string {
  return parseHolder(lock)?.nonce ?? shortHash(lock.labels[PREVIEW_LOCK_HOLDER_LABEL] ?? '', 12);
}

function beatsOf(volumes: readonly ObservedVolume[], name: string): string[] {
  return volumes
    .filter((volume) => volume.name !== name && volume.labels[BEAT_LABEL] !== undefined)
    .map((volume) => volume.name)
    .sort();
}

function parseHolder(volume: ObservedVolume): LockHolder | undefined {
  try {
    const value = JSON.parse(volume.labels[PREVIEW_LOCK_HOLDER_LABEL] ?? '') as Partial<LockHolder>;
    if (typeof value.host !== 'string' || typeof value.pid !== 'number' || typeof value.nonce !== 'string')
      return undefined;
    return value as LockHolder;
  } catch {
    // Not JSON: not a holder devenv wrote.
    return undefined;
  }
}

/** "another `preview up`" (the same command as the waiter's), "a `preview down`". */
function runOf(holder: LockHolder | undefined, waiter: LockCommand): string {
  const command = commandOf(holder);
  return `${command === waiter ? 'another' : 'a'} \`${command}\``;
}

/** A holder written before `preview down` took the lock is a `preview up`. */
function commandOf(holder: LockHolder | undefined): LockCommand {
  return holder?.command ?? 'preview up';
}

/** `host ci-7, pid 4242, since 10:02:03`. */
function describeHolder(holder: LockHolder): string {
  return `host ${holder.host}, pid ${holder.pid}, since ${holder.since.slice(11, 19)}`;
}
