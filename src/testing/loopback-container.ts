import { GenericContainer } from 'testcontainers';

/**
 * A GenericContainer whose ports are published on 127.0.0.1 only, as `devenv up` publishes them:
 * testcontainers publishes on every interface, which would offer a test database with a well-known
 * password to the whole network.
 */
export class LoopbackContainer extends GenericContainer {
  withLoopbackPorts(ports: readonly { container: number; host: number; protocol: 'tcp' | 'udp' }[]): this {
    this.withExposedPorts(...ports.map((port) => ({ ...port })));
    const bindings = { ...this.hostConfig.PortBindings };
    for (const port of ports)
      bindings[`${port.container}/${port.protocol}`] = [{ HostIp: '127.0.0.1', HostPort: String(port.host) }];
    this.hostConfig.PortBindings = bindings;
    return this;
  }
}
