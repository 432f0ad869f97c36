import Docker from 'dockerode';

/**
 * Test-side access to the Docker engine, independent of devenv's own runtime module (an oracle must
 * not share the code it checks). Configured from the environment like the docker CLI (DOCKER_HOST...).
 */
export function testEngine(): Docker {
  return new Docker();
}

/** Where the engine is expected, as the user would describe it. */
export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

/** The one command that makes this machine able to run the integration tests. */
export const PROVISION_COMMAND = 'bash scripts/provision.sh';

/** Rejects with a clear message when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
