import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src-main/api/types';
import { fieldErrorMessage } from '../../../../src-main/api/field-errors';
import { jobsDef } from '../../../../src-main/api/batch/job';
import { cronJobsDef } from '../../../../src-main/api/batch/cronjob';
import { cronParseError } from '../../../../src-main/api/batch/cron';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ctx = { namespace: 'default', now: new Date(NOW) };
const UID = '0b5e8a4c-5f1d-4a47-9c1e-3d2f0c6a7b11';

function job(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID, creationTimestamp: '2024-05-01T11:58:00Z' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
    ...extra,
  };
}

/** What the server does on create: defaults, then the strategy. */
function created(obj: KubeObject): KubeObject {
  jobsDef.default!(obj);
  jobsDef.prepareForCreate!(obj, ctx);
  return obj;
}

describe('batch/v1 jobs', () => {
  it('names', () => {
    expect(jobsDef).toMatchObject({ plural: 'jobs', singular: 'job', categories: ['all'], namespaced: true, subresources: ['status'], generation: true });
    expect(jobsDef.shortNames).toBeUndefined();
  });

  it('defaults a minimal job', () => {
    const j = created(job());
    const spec = j.spec as Record<string, any>;
    expect(spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(j.status).toEqual({});
  });

  it('keeps completions unset when only parallelism is given', () => {
    const j = job();
    (j.spec as any).parallelism = 3;
    jobsDef.default!(j);
    expect((j.spec as any).completions).toBeUndefined();
    expect((j.spec as any).parallelism).toBe(3);
  });

  it('generates the selector and template labels from the uid', () => {
    const j = created(job());
    const spec = j.spec as Record<string, any>;
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
    expect(spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': UID,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': UID,
      'job-name': 'pi',
    });
    // A job without labels shows its template's labels.
    expect(j.metadata.labels).toEqual(spec.template.metadata.labels);
    expect(jobsDef.validate!(j, undefined)).toEqual([]);
  });

  it('does not generate anything with manualSelector', () => {
    const j = job();
    Object.assign(j.spec as object, { manualSelector: true, selector: { matchLabels: { app: 'pi' } } });
    (j.spec as any).template.metadata = { labels: { app: 'pi' } };
    created(j);
    expect((j.spec as any).selector).toEqual({ matchLabels: { app: 'pi' } });
    expect(jobsDef.validate!(j, undefined)).toEqual([]);
  });

  it('keeps explicit job labels', () => {
    const j = job();
    j.metadata.labels = { team: 'a' };
    created(j);
    expect(j.metadata.labels).toEqual({ team: 'a' });
  });

  it('requires restartPolicy OnFailure or Never', () => {
    const j = job();
    (j.spec as any).template.spec.restartPolicy = 'Always';
    created(j);
    expect(jobsDef.validate!(j, undefined).map(fieldErrorMessage)).toEqual(['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
    const k = job();
    delete (k.spec as any).template.spec.restartPolicy;
    created(k); // defaulting makes it Always
    expect(jobsDef.validate!(k, undefined).map(fieldErrorMessage)).toEqual(['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('rejects negative counts', () => {
    const j = job();
    Object.assign(j.spec as object, { backoffLimit: -1, parallelism: -2 });
    created(j);
    expect(jobsDef.validate!(j, undefined).map(fieldErrorMessage)).toEqual([
      'spec.parallelism: Invalid value: -2: must be greater than or equal to 0',
      'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('makes the template, selector and completions immutable', () => {
    const old = created(job());
    const j = structuredClone(old);
    (j.spec as any).template.spec.containers[0].image = 'perl:5.36';
    (j.spec as any).completions = 2;
    const errs = jobsDef.validate!(j, old);
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.completions: field is immutable', 'spec.template: field is immutable']);
  });

  it('lets a suspended, never-started job change its node selector', () => {
    const old = job();
    (old.spec as any).suspend = true;
    created(old);
    const j = structuredClone(old);
    (j.spec as any).template.spec.nodeSelector = { disk: 'ssd' };
    expect(jobsDef.validate!(j, old)).toEqual([]);
  });

  it('has the status.successful field selector', () => {
    const j = created(job());
    j.status = { succeeded: 2 };
    expect(jobsDef.fieldSelectors!['status.successful'](j)).toBe('2');
  });

  describe('table', () => {
    const t = jobsDef.table!;
    it('columns as upstream', () => {
      expect(t.columns.map((c) => [c.name, c.priority])).toEqual([
        ['Name', 0], ['Status', 0], ['Completions', 0], ['Duration', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1],
      ]);
    });
    it('a running job', () => {
      const j = created(job());
      j.status = { active: 1, startTime: '2024-05-01T11:58:00Z' };
      expect(t.row(j, NOW)).toEqual(['pi', 'Running', '0/1', '2m', '2m', 'pi', 'perl:5.34', `batch.kubernetes.io/controller-uid=${UID}`]);
    });
    it('a complete job shows its run time', () => {
      const j = created(job());
      j.status = {
        succeeded: 1,
        startTime: '2024-05-01T11:58:00Z',
        completionTime: '2024-05-01T11:58:45Z',
        conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
      };
      expect(t.row(j, NOW).slice(0, 5)).toEqual(['pi', 'Complete', '1/1', '45s', '2m']);
    });
    it('a failed job', () => {
      const j = created(job());
      j.status = { failed: 7, startTime: '2024-05-01T11:00:00Z', conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] };
      expect(t.row(j, NOW).slice(0, 4)).toEqual(['pi', 'Failed', '0/1', '60m']);
    });
    it('a job not started yet, and parallel work queues', () => {
      const j = job();
      (j.spec as any).parallelism = 3;
      created(j);
      expect(t.row(j, NOW).slice(0, 4)).toEqual(['pi', 'Running', '0/1 of 3', '']);
      const s = created(job());
      s.status = { conditions: [{ type: 'Suspended', status: 'True' }] };
      expect(t.row(s, NOW)[1]).toBe('Suspended');
    });
  });
});

function cron(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default', uid: UID, creationTimestamp: '2024-05-01T11:00:00Z' },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.28' }] } } } },
    },
    ...extra,
  };
}

describe('batch/v1 cronjobs', () => {
  it('names', () => {
    expect(cronJobsDef).toMatchObject({ plural: 'cronjobs', singular: 'cronjob', shortNames: ['cj'], categories: ['all'], subresources: ['status'] });
  });

  it('defaults', () => {
    const c = cron();
    cronJobsDef.default!(c);
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    // The job template gets pod defaults only, not SetDefaults_Job.
    expect((c.spec as any).jobTemplate.spec.backoffLimit).toBeUndefined();
    expect((c.spec as any).jobTemplate.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(cronJobsDef.validate!(c, undefined)).toEqual([]);
  });

  it('rejects a bad schedule with the cron parser message', () => {
    const c = cron();
    (c.spec as any).schedule = 'bad';
    cronJobsDef.default!(c);
    expect(cronJobsDef.validate!(c, undefined).map(fieldErrorMessage)).toEqual(['spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]']);
  });

  it('requires a schedule and rejects TZ in it', () => {
    const c = cron();
    delete (c.spec as any).schedule;
    cronJobsDef.default!(c);
    expect(cronJobsDef.validate!(c, undefined).map(fieldErrorMessage)).toEqual(['spec.schedule: Required value']);
    (c.spec as any).schedule = 'TZ=UTC 0 * * * *';
    expect(cronJobsDef.validate!(c, undefined).map(fieldErrorMessage)).toEqual(['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  });

  it('validates the time zone and the job template', () => {
    const c = cron();
    cronJobsDef.default!(c);
    (c.spec as any).timeZone = 'Mars/Olympus';
    (c.spec as any).jobTemplate.spec.template.spec.restartPolicy = 'Always';
    expect(cronJobsDef.validate!(c, undefined).map(fieldErrorMessage)).toEqual([
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  it('limits names to 52 characters on create', () => {
    const c = cron();
    c.metadata.name = 'a'.repeat(53);
    cronJobsDef.default!(c);
    expect(cronJobsDef.validate!(c, undefined).map(fieldErrorMessage)).toEqual([`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  });

  it('prints a never scheduled cronjob with <none>', () => {
    const c = cron();
    cronJobsDef.default!(c);
    const t = cronJobsDef.table!;
    expect(t.columns.map((x) => x.name)).toEqual(['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector']);
    expect(t.row(c, NOW)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 0, '<none>', '60m', 'hello', 'busybox:1.28', '<none>']);
    c.status = { active: [{ name: 'hello-28577520' }], lastScheduleTime: '2024-05-01T11:59:00Z' };
    (c.spec as any).timeZone = 'Etc/UTC';
    expect(t.row(c, NOW).slice(0, 6)).toEqual(['hello', '*/1 * * * *', 'Etc/UTC', 'False', 1, '60s']);
  });
});

describe('cron schedule parser messages (robfig/cron v3)', () => {
  it.each([
    ['*/5 * * * *', ''],
    ['0 0 * * sun', ''],
    ['@hourly', ''],
    ['@every 1h30m', ''],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])('%s', (spec, msg) => {
    expect(cronParseError(spec)).toBe(msg);
  });
});
