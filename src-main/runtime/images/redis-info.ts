/**
 * redis-server's `INFO [section]` text: the sections and field names of the real server (a
 * subset of the fields, with values from the simulated store), `\r\n` line ends.
 */
import { KERNEL_RELEASE } from '../node-info';
import type { RedisStore } from './redis-store';

export interface InfoState {
  version: string;
  pid: number;
  port: number;
  startedAt: number;
  now: number;
  runId: string;
  executable: string;
  configFile: string;
  memoryBytes: number;
  connections: number;
  bgsaveOk: boolean;
  aof: boolean;
  gcc: string;
}

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];

function human(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(2)}G`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)}M`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(2)}K`;
  return `${bytes}B`;
}

export function infoText(store: RedisStore, s: InfoState, section: string | undefined): string {
  const major = Number(s.version.split('.')[0]);
  const uptime = Math.max(0, Math.floor((s.now - s.startedAt) / 1000));
  const sections: Record<string, () => string[]> = {
    server: () => [
      `redis_version:${s.version}`,
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      `redis_build_id:${s.runId.slice(0, 16)}`,
      'redis_mode:standalone',
      `os:Linux ${KERNEL_RELEASE} x86_64`,
      'arch_bits:64',
      ...(major >= 7 || s.version.startsWith('6.2') ? ['monotonic_clock:POSIX clock_gettime'] : []),
      'multiplexing_api:epoll',
      'atomicvar_api:c11-builtin',
      `gcc_version:${s.gcc}`,
      `process_id:${s.pid}`,
      'process_supervised:no',
      `run_id:${s.runId}`,
      `tcp_port:${s.port}`,
      `server_time_usec:${s.now * 1000}`,
      `uptime_in_seconds:${uptime}`,
      `uptime_in_days:${Math.floor(uptime / 86400)}`,
      'hz:10',
      'configured_hz:10',
      `lru_clock:${Math.floor(s.now / 1000) % 16777216}`,
      `executable:${s.executable}`,
      `config_file:${s.configFile}`,
      'io_threads_active:0',
      ...(major >= 7 ? [`listener0:name=tcp,bind=*,bind=-::*,port=${s.port}`] : []),
    ],
    clients: () => [`connected_clients:${s.connections}`, 'cluster_connections:0', 'maxclients:10000', 'client_recent_max_input_buffer:0', 'client_recent_max_output_buffer:0', 'blocked_clients:0', 'tracking_clients:0', ...(major >= 7 ? ['pubsub_clients:0', 'watching_clients:0', 'clients_in_timeout_table:0', 'total_watched_keys:0', 'total_blocking_keys:0', 'total_blocking_keys_on_nokey:0'] : [])],
    memory: () => [
      `used_memory:${s.memoryBytes}`,
      `used_memory_human:${human(s.memoryBytes)}`,
      `used_memory_rss:${s.memoryBytes + 6_000_000}`,
      `used_memory_rss_human:${human(s.memoryBytes + 6_000_000)}`,
      `used_memory_peak:${s.memoryBytes}`,
      `used_memory_peak_human:${human(s.memoryBytes)}`,
      'maxmemory:0',
      'maxmemory_human:0B',
      'maxmemory_policy:noeviction',
      'mem_allocator:jemalloc-5.3.0',
    ],
    persistence: () => [
      'loading:0',
      ...(major >= 7 ? ['async_loading:0'] : []),
      'current_cow_size:0',
      `rdb_changes_since_last_save:${store.dirty}`,
      'rdb_bgsave_in_progress:0',
      `rdb_last_save_time:${Math.floor(store.lastSave / 1000)}`,
      `rdb_last_bgsave_status:${s.bgsaveOk ? 'ok' : 'err'}`,
      'rdb_last_bgsave_time_sec:0',
      'rdb_current_bgsave_time_sec:-1',
      ...(major >= 7 ? [`rdb_saves:${store.saves}`, 'rdb_last_cow_size:0', `rdb_last_load_keys_expired:0`, `rdb_last_load_keys_loaded:${store.loadedKeys}`] : []),
      `aof_enabled:${s.aof ? 1 : 0}`,
      'aof_rewrite_in_progress:0',
      'aof_last_bgrewrite_status:ok',
      'aof_last_write_status:ok',
    ],
    stats: () => [
      `total_connections_received:${s.connections}`,
      `total_commands_processed:${store.commands}`,
      'instantaneous_ops_per_sec:0',
      'rejected_connections:0',
      `expired_keys:${store.expiredKeys}`,
      'evicted_keys:0',
      `keyspace_hits:${store.hits}`,
      `keyspace_misses:${store.misses}`,
      'pubsub_channels:0',
      'pubsub_patterns:0',
      ...(major >= 7 ? [`total_error_replies:${[...store.errors.values()].reduce((x, y) => x + y, 0)}`] : []),
    ],
    replication: () => ['role:master', 'connected_slaves:0', ...(major >= 6 ? ['master_failover_state:no-failover'] : []), `master_replid:${s.runId.split('').reverse().join('')}`, 'master_replid2:0000000000000000000000000000000000000000', 'master_repl_offset:0', 'second_repl_offset:-1', 'repl_backlog_active:0', 'repl_backlog_size:1048576', 'repl_backlog_first_byte_offset:0', 'repl_backlog_histlen:0'],
    cpu: () => [`used_cpu_sys:${(uptime * 0.0011).toFixed(6)}`, `used_cpu_user:${(uptime * 0.0009).toFixed(6)}`, 'used_cpu_sys_children:0.000000', 'used_cpu_user_children:0.000000'],
    modules: () => [],
    errorstats: () => [...store.errors].map(([code, n]) => `errorstat_${code}:count=${n}`),
    cluster: () => ['cluster_enabled:0'],
    keyspace: () => (store.size ? [`db0:keys=${store.size},expires=${store.expires},avg_ttl=0${major >= 7 && s.version >= '7.4' ? ',subexpiry=0' : ''}`] : []),
  };
  const names = !section || section === 'default' || section === 'all' || section === 'everything' ? DEFAULT_SECTIONS.filter((n) => major >= 7 || (n !== 'modules' && n !== 'errorstats') || major >= 6) : [section];
  const out: string[] = [];
  for (const n of names) {
    const f = sections[n];
    if (!f) continue;
    out.push(`# ${n === 'cpu' ? 'CPU' : n === 'errorstats' ? 'Errorstats' : n[0]!.toUpperCase() + n.slice(1)}`, ...f(), '');
  }
  if (out.length) out.pop();
  return out.length ? out.join('\r\n') + '\r\n' : '';
}
