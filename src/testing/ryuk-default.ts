/**
 * testcontainers removes a session's containers through Ryuk, a container it pulls from Docker Hub
 * (`testcontainers/ryuk`). Behind an air gap or a mirror without it, every start would fail on that
 * pull, so Ryuk is off unless the user says otherwise; `stop()` and the sweep of killed runs
 * (`sweep-orphans.ts`) clean up instead. `TESTCONTAINERS_RYUK_DISABLED=false` (with
 * `RYUK_CONTAINER_IMAGE` pointing at a mirror if needed) turns it back on. testcontainers reads the
 * variable when it first needs the reaper, so this must run before anything is started.
 *
 * @returns whether Ryuk is in use.
 */
export function ryukUnlessConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.TESTCONTAINERS_RYUK_DISABLED === undefined) env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  return env.TESTCONTAINERS_RYUK_DISABLED !== 'true';
}
