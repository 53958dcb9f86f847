import { describe, expect, it } from 'vitest';
import { JobName, QueueName } from '@wangge/jobs';
import { JobHandlerRegistry, type JobHandler } from './job-handler';

const handler = (name: JobName, result = name): JobHandler => ({ name, handle: async () => result });

describe('JobHandlerRegistry', () => {
  it('fails at boot when a job name has no handler', () => {
    expect(() => new JobHandlerRegistry([handler(JobName.RouteCase)])).toThrow(/check-deadline has no handler/);
  });
  it('fails at boot when a job name has two handlers', () => {
    expect(() => new JobHandlerRegistry([...Object.values(JobName).map((name) => handler(name)), handler(JobName.RouteCase)])).toThrow(
      /route-case has two handlers/,
    );
  });
  it('runs a job on its own queue and refuses it on another', async () => {
    const registry = new JobHandlerRegistry(Object.values(JobName).map((name) => handler(name)));
    const job = { name: JobName.RouteCase, data: { caseId: 'x' } } as never;
    await expect(registry.run(QueueName.Routing, job)).resolves.toBe(JobName.RouteCase);
    expect(() => registry.run(QueueName.Clocks, job)).toThrow(/no job route-case/);
  });
});
