/** luksa/kubia and the other Kubernetes in Action images: logs, HTTP answers, files, exits. */
import { describe, expect, it } from 'vitest';
import { advance, settle, start } from '../harness';
import type { HttpRequest } from '../../../../src-main/runtime/types';

const get = (path = '/', remoteAddress = '::ffff:10.244.0.1'): HttpRequest => ({ method: 'GET', path, headers: {}, remoteAddress });

describe('luksa/kubia (1st edition)', () => {
  it.each([
    ['luksa/kubia', "You've hit web-1\n", 0],
    ['luksa/kubia:latest', "You've hit web-1\n", 0],
    ['luksa/kubia:v1', 'This is v1 running in pod web-1\n', 0],
    ['luksa/kubia:v2', 'This is v2 running in pod web-1\n', 0],
    ['luksa/kubia:v4', 'This is v4 running in pod web-1\n', 0],
    ['luksa/kubia:v3', 'This is v3 running in pod web-1\n', 5],
    ['luksa/kubia-unhealthy', "You've hit web-1\n", 6],
  ])('%s answers %j (failing from request %i)', async (image, body, failFrom) => {
    const c = start(image, { hostname: 'web-1' });
    await settle();
    expect(c.text()).toBe('Kubia server starting...\n');
    const [l] = c.proc.listeners!();
    expect(l).toMatchObject({ port: 8080, protocol: 'TCP', address: '::' });
    for (let i = 1; i <= 7; i++) {
      const r = await l!.http!(get());
      if (failFrom && i >= failFrom) {
        expect(r.status).toBe(500);
        expect(r.body).toBe(image.endsWith('v3') ? 'Some internal error has occurred! This is pod web-1\n' : "I'm not well. Please restart me!");
      } else expect(r).toEqual({ status: 200, body });
    }
    expect(c.out.join('')).toBe('Kubia server starting...\n' + 'Received request from ::ffff:10.244.0.1\n'.repeat(7));
    c.proc.signal('SIGKILL');
  });

  it('ignores SIGTERM (node as PID 1 without a handler) and runs node 7 from /app.js', async () => {
    const c = start('luksa/kubia:v1');
    await settle();
    c.proc.signal('SIGTERM');
    let done = false;
    void c.exit().then(() => (done = true));
    await advance(c.clock, 30_000, 10_000);
    expect(done).toBe(false);
    c.proc.signal('SIGKILL');
    const v = start('luksa/kubia', { command: ['node', '--version'] });
    expect(await v.exit()).toMatchObject({ exitCode: 0 });
    expect(v.text()).toBe('v7.10.1\n');
    const cat = start('luksa/kubia:v3', { command: ['cat', '/app.js'] });
    await cat.exit();
    expect(cat.text()).toContain('if (++requestCount >= 5) {');
  });
});

describe('luksa/kubia (2nd edition)', () => {
  it('1.0 logs hostname and port; answers "Hey there" with the trailing space app.js writes', async () => {
    const c = start('luksa/kubia:1.0', { hostname: 'kubia-9d785b578-p449x' });
    await settle();
    expect(c.text()).toBe('Kubia server starting...\nLocal hostname is kubia-9d785b578-p449x\nListening on port 8080\n');
    const r = await c.proc.listeners!()[0]!.http!(get('/', '::ffff:1.2.3.4'));
    expect(r).toEqual({ status: 200, body: 'Hey there, this is kubia-9d785b578-p449x. Your IP is ::ffff:1.2.3.4. \n' });
    expect(c.text()).toContain('Received request for / from ::ffff:1.2.3.4\n');
    c.proc.signal('SIGKILL');
    const v = start('luksa/kubia:1.0', { command: ['node', '-v'] });
    await v.exit();
    expect(v.text()).toBe('v12.18.1\n');
  });

  it('1.1 shuts down on SIGTERM with its log line, exit 0', async () => {
    const c = start('luksa/kubia:1.1', { hostname: 'kubia' });
    await settle();
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toMatchObject({ exitCode: 0 });
    expect(c.text().endsWith('Received SIGTERM. Server shutting down...\n')).toBe(true);
  });

  it('node 12 reports a missing script in its own words', async () => {
    const c = start('luksa/kubia:1.0', { command: ['node', 'nope.js'] });
    expect(await c.exit()).toMatchObject({ exitCode: 1 });
    expect(c.err.join('')).toContain("Error: Cannot find module '/nope.js'");
    expect(c.err.join('')).toContain("code: 'MODULE_NOT_FOUND'");
  });
});

describe('luksa/batch-job and luksa/ssd-monitor', () => {
  it('batch-job prints the start line, works 120 s, finishes with exit 0', async () => {
    const c = start('luksa/batch-job');
    let exited = false;
    void c.exit().then(() => (exited = true));
    await settle();
    expect(c.text()).toBe('Mon Nov 23 10:00:00 UTC 2026 Batch job starting\n');
    await advance(c.clock, 119_000, 1000);
    expect(exited).toBe(false);
    await advance(c.clock, 2000, 500);
    expect(await c.exit()).toMatchObject({ exitCode: 0 });
    expect(c.text()).toBe('Mon Nov 23 10:00:00 UTC 2026 Batch job starting\nMon Nov 23 10:02:00 UTC 2026 Finished succesfully\n');
  });

  it('ssd-monitor prints SSD OK every 5 seconds', async () => {
    const c = start('luksa/ssd-monitor');
    await settle();
    await advance(c.clock, 10_000, 500);
    expect(c.text()).toBe('SSD OK\nSSD OK\nSSD OK\n');
    c.proc.signal('SIGKILL');
  });
});

describe('luksa/kubia-pet and kubia-pet-peers (StatefulSet chapter)', () => {
  const io = { stdout: () => {}, stderr: () => {} };

  it('kubia-pet stores a POST body in /var/data/kubia.txt and shows it on GET', async () => {
    const c = start('luksa/kubia-pet', { hostname: 'kubia-0' });
    await settle();
    expect(c.text()).toBe('');
    expect(await c.proc.exec!(['mkdir', '-p', '/var/data'], io)).toBe(0);
    const http = c.proc.listeners!()[0]!.http!;
    expect(await http(get())).toEqual({ status: 200, body: "You've hit kubia-0\nData stored on this pod: No data posted yet\n" });
    expect(await http({ ...get(), method: 'POST', body: 'Hey there! This greeting was submitted to kubia-0.' })).toEqual({ status: 200, body: 'Data stored on pod kubia-0\n' });
    expect(c.text()).toBe('New data has been received and stored.\n');
    expect((await http(get())).body).toBe("You've hit kubia-0\nData stored on this pod: Hey there! This greeting was submitted to kubia-0.\n");
    let out = '';
    await c.proc.exec!(['cat', '/var/data/kubia.txt'], { stdout: (s) => (out += s), stderr: () => {} });
    expect(out).toBe('Hey there! This greeting was submitted to kubia-0.');
    c.proc.signal('SIGKILL');
  });

  it('kubia-pet without /var/data dies on the first POST as node does (exit 1)', async () => {
    const c = start('luksa/kubia-pet');
    await settle();
    void c.proc.listeners!()[0]!.http!({ ...get(), method: 'POST', body: 'x' });
    expect(await c.exit()).toMatchObject({ exitCode: 1 });
    expect(c.err.join('')).toContain("Error: ENOENT: no such file or directory, open '/var/data/kubia.txt'");
  });

  it('kubia-pet-peers finds its peers by SRV lookup and collects their /data', async () => {
    const names: string[] = [];
    const c = start('luksa/kubia-pet-peers', {
      hostname: 'kubia-0',
      dnsClient: {
        lookup: async (name) => (name.endsWith('.kubia.default.svc.cluster.local') ? { fqdn: name, addresses: ['127.0.0.1'] } : undefined),
        reverse: async () => undefined,
        srv: async (name) => {
          names.push(name);
          return [{ name: 'kubia-0.kubia.default.svc.cluster.local', port: 8080, priority: 10, weight: 100 }];
        },
      },
    });
    await settle();
    await c.proc.exec!(['mkdir', '-p', '/var/data'], io);
    const http = c.proc.listeners!()[0]!.http!;
    await http({ ...get(), method: 'POST', body: 'The sun is shining' });
    expect((await http(get('/data'))).body).toBe('The sun is shining');
    expect((await http(get())).body).toBe("You've hit kubia-0\nData stored in the cluster:\n- kubia-0.kubia.default.svc.cluster.local: The sun is shining\n");
    expect(names).toEqual(['kubia.default.svc.cluster.local']);
    c.proc.signal('SIGKILL');
  });

  it('kubia-pet-peers reports a failed SRV lookup in node\'s words', async () => {
    const c = start('luksa/kubia-pet-peers', { hostname: 'kubia-1', dnsClient: { lookup: async () => undefined, reverse: async () => undefined, srv: async () => undefined } });
    await settle();
    expect((await c.proc.listeners!()[0]!.http!(get())).body).toBe("You've hit kubia-1\nData stored in the cluster:\nCould not look up DNS SRV records: Error: querySrv ENOTFOUND kubia.default.svc.cluster.local");
    c.proc.signal('SIGKILL');
  });
});

describe('luksa/fortune', () => {
  it(':args logs its interval and writes a fortune to /var/htdocs/index.html every N seconds', async () => {
    const c = start('luksa/fortune:args', { args: ['2'] });
    await settle();
    await advance(c.clock, 4100, 100);
    expect(c.text()).toBe(
      'Configured to generate new fortune every 2 seconds\n' +
        ['10:00:00', '10:00:02', '10:00:04'].map((t) => `Mon Nov 23 ${t} UTC 2026 Writing fortune to /var/htdocs/index.html\n`).join(''),
    );
    let page = '';
    await c.proc.exec!(['cat', '/var/htdocs/index.html'], { stdout: (s) => (page += s), stderr: () => {} });
    expect(page.length).toBeGreaterThan(5);
    c.proc.signal('SIGKILL');
  });

  it(':env reads INTERVAL; :latest loops every 10 s', async () => {
    const e = start('luksa/fortune:env', { env: [{ name: 'INTERVAL', value: '30' }] });
    await settle();
    expect(e.text()).toBe('Configured to generate new fortune every 30 seconds\nMon Nov 23 10:00:00 UTC 2026 Writing fortune to /var/htdocs/index.html\n');
    e.proc.signal('SIGKILL');
    const l = start('luksa/fortune');
    await settle();
    await advance(l.clock, 10_000, 500);
    expect(l.out.join('')).toBe(['10:00:00', '10:00:10'].map((t) => `Mon Nov 23 ${t} UTC 2026 Writing fortune to /var/htdocs/index.html\n`).join(''));
    l.proc.signal('SIGKILL');
  });
});
